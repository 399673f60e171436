# METADATA
# title: Certificates renew themselves before they expire
# description: |
#   The issuance policy of every enabled Azure Key Vault certificate must carry an AutoRenew
#   lifetime action (by days before expiry or by percentage of lifetime), so renewal happens ahead
#   of the rotation interval instead of on an outage. A policy that could not be read yields error.
# custom:
#   id: VP-AZ-007
#   severity: medium
#   control: Azure Policy Key Vault built-ins (peer)
#   requirements: [SM-4-a]
#   metric: CertificateAutoRenew
#   remediation: |
#     Add an `AutoRenew` lifetime action to the certificate policy (e.g. `daysBeforeExpiry: 30` or
#     `lifetimePercentage: 80`); for certificates from a non-integrated CA, add `EmailContacts`
#     and renew through the pipeline.
#   references:
#     - "Azure Policy: Certificates should have the specified lifetime action triggers"
package vaultproof.rules.azure.certificate_auto_renew

import data.vaultproof.lib
import rego.v1

metric_name := "CertificateAutoRenew"

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
	p := o.certificate_policy
	is_object(p)
	renew := p.auto_renew
	status := lib.status_bool(renew)
	msg := message(o, p)
	out := lib.finding(status, lib.object_resource(input.vault, o), lib.metric(metric_name, renew, "==", true), msg)
}

findings[out.resource.id] := out if {
	some o in certificates
	not policy_known(o)
	msg := concat("", ["the issuance policy of certificate '", o.path, "' could not be read"])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "==", true), msg)
}

policy_known(o) if is_object(o.certificate_policy)

message(o, p) := concat("", ["certificate '", o.path, "' renews automatically", trigger(p)]) if p.auto_renew == true

message(o, p) := concat("", ["certificate '", o.path, "' has no AutoRenew lifetime action"]) if p.auto_renew == false

trigger(p) := concat("", [" ", lib.num_str(p.renew_before_expiry_days), " days before expiry"]) if is_number(p.renew_before_expiry_days)

trigger(p) := concat("", [" at ", lib.num_str(p.renew_at_lifetime_percentage), " % of its lifetime"]) if {
	not days_trigger(p)
	is_number(p.renew_at_lifetime_percentage)
}

trigger(p) := "" if {
	not days_trigger(p)
	not pct_trigger(p)
}

days_trigger(p) if is_number(p.renew_before_expiry_days)

pct_trigger(p) if is_number(p.renew_at_lifetime_percentage)
