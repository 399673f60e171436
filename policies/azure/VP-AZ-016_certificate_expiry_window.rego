# METADATA
# title: Certificates do not expire within 30 days
# description: |
#   A certificate that expires within `certificate_min_remaining_days` days (or has expired) is an
#   outage on a date already known: its renewal did not happen or failed. Judged on the current
#   version of every enabled Azure certificate; a certificate whose expiry was not collected yields
#   error (every X.509 certificate has one).
# custom:
#   id: VP-AZ-016
#   severity: high
#   control: Azure Policy Key Vault built-ins (peer)
#   requirements: [SM-4-a]
#   metric: CertificateDaysToExpiry
#   settings:
#     - thresholds.certificate_min_remaining_days
#   remediation: |
#     Renew the certificate now (`az keyvault certificate create` with its policy, or import the
#     renewed certificate from its CA), then find out why its AutoRenew action did not fire.
#   references:
#     - "Azure Policy: Certificates should not expire within the specified number of days"
package vaultproof.rules.azure.certificate_expiry_window

import data.vaultproof.lib
import rego.v1

metric_name := "CertificateDaysToExpiry"

limit := data.config.thresholds.certificate_min_remaining_days

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
	expires := lib.current_version(o).expires
	is_number(expires)
	left := lib.days_until(expires, input.now)
	status := lib.status_le(limit, left)
	msg := concat("", ["certificate '", o.path, "' ", expiry_text(left)])
	out := lib.finding(status, lib.object_resource(input.vault, o), lib.metric(metric_name, left, ">=", limit), msg)
}

findings[out.resource.id] := out if {
	some o in certificates
	not expiry_known(o)
	msg := concat("", ["the expiry of certificate '", o.path, "' could not be read"])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, ">=", limit), msg)
}

expiry_known(o) if is_number(lib.current_version(o).expires)

expiry_text(left) := concat("", ["expires in ", lib.num_str(left), " days"]) if left >= 0

expiry_text(left) := concat("", ["expired ", lib.num_str(0 - left), " days ago"]) if left < 0
