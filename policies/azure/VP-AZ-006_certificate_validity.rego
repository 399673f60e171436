# METADATA
# title: Certificates are issued for at most 12 months
# description: |
#   Long-lived certificates widen the window in which a leaked private key is usable. The issuance
#   policy of every enabled Azure Key Vault certificate must set a validity of at most
#   `certificate_max_validity_months`. A policy that could not be read yields error.
# custom:
#   id: VP-AZ-006
#   severity: low
#   control: Azure Policy Key Vault built-ins (peer)
#   requirements: [SM-4-a]
#   metric: CertificateValidityMonths
#   settings:
#     - thresholds.certificate_max_validity_months
#   remediation: |
#     Update the certificate policy (`az keyvault certificate set-attributes --policy @policy.json`
#     with `x509CertificateProperties.validityInMonths` <= 12) and renew the certificate.
#   references:
#     - "Azure Policy: Certificates should have the specified maximum validity period"
package vaultproof.rules.azure.certificate_validity

import data.vaultproof.lib
import rego.v1

metric_name := "CertificateValidityMonths"

limit := data.config.thresholds.certificate_max_validity_months

# An array: each object appears once, and a set would hash every whole object.
certificates := [o |
	v := input.vault
	v.provider == "azure-keyvault"
	some o in v.objects
	o.kind == "certificate"
	o.enabled == true
]

findings[out.resource.id] := out if {
	some o in certificates
	months := o.certificate_policy.validity_months
	is_number(months)
	status := lib.status_le(months, limit)
	msg := concat("", ["certificate '", o.path, "' is issued for ", lib.num_str(months), " months"])
	out := lib.finding(status, lib.object_resource(input.vault, o), lib.metric(metric_name, months, "<=", limit), msg)
}

findings[out.resource.id] := out if {
	some o in certificates
	not validity_known(o)
	msg := concat("", ["the issuance policy of certificate '", o.path, "' could not be read"])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "<=", limit), msg)
}

validity_known(o) if is_number(o.certificate_policy.validity_months)
