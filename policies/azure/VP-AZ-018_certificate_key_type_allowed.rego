# METADATA
# title: Certificate keys are of an allowed type
# description: |
#   The key a certificate's issuance policy creates must be of a type in
#   `allowed_certificate_key_types` (RSA and RSA-HSM by default, the Azure built-in's default:
#   certificates are presented to clients, and Microsoft Entra application credentials take RSA
#   certificates only). Judged on every enabled Azure certificate; a certificate whose key type was
#   not collected (no readable issuance policy) yields error.
# custom:
#   id: VP-AZ-018
#   severity: medium
#   control: Azure Policy Key Vault built-ins (peer)
#   requirements: [SM-2-a]
#   metric: CertificateKeyTypeAllowed
#   settings:
#     - thresholds.allowed_certificate_key_types
#   remediation: |
#     Set the certificate policy's key type to an allowed one (`keyProperties.keyType`), issue a new
#     version and move consumers to it; or, where EC certificates are intended, add EC/EC-HSM to
#     `allowed_certificate_key_types` with an approved deviation.
#   references:
#     - "Azure Policy: Certificates should use allowed key types"
package vaultproof.rules.azure.certificate_key_type_allowed

import data.vaultproof.lib
import rego.v1

metric_name := "CertificateKeyTypeAllowed"

allowed_types := data.config.thresholds.allowed_certificate_key_types

allowed := concat(",", allowed_types)

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
	is_string(o.key.type)
	ok := o.key.type in allowed_types
	status := lib.status_bool(ok)
	msg := concat("", ["the key of certificate '", o.path, "' is of type ", o.key.type])
	out := lib.finding(status, lib.object_resource(input.vault, o), lib.metric(metric_name, o.key.type, "==", allowed), msg)
}

findings[out.resource.id] := out if {
	some o in certificates
	not type_known(o)
	msg := concat("", ["the key type of certificate '", o.path, "' could not be read"])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "==", allowed), msg)
}

type_known(o) if is_string(o.key.type)
