# METADATA
# title: Certificates renew within their rotation interval
# description: |
#   An AutoRenew lifetime action (VP-AZ-007) only keeps a certificate within its rotation interval
#   when it fires early enough: a 12-month certificate renewing at 80 % of its lifetime renews on
#   day 292 and is certain to exceed the 90-day interval of `rotation_days` (CertificateAgeDays) on
#   day 91. The renewal day is computed from the issuance policy: validity (months of 365/12 days)
#   times `lifetimePercentage`, or validity minus `daysBeforeExpiry` (the earlier when both are set),
#   and must be at most the rotation interval of the certificate's credential type (per-subsystem
#   overrides apply). Judged on every enabled Azure certificate that renews automatically and whose
#   type has an interval; a policy, validity or trigger that could not be read yields error.
# custom:
#   id: VP-AZ-017
#   severity: medium
#   control: Azure Policy Key Vault built-ins (peer)
#   requirements: [SM-4-a]
#   metric: CertificateRenewalDay
#   settings:
#     - thresholds.rotation_days
#     - thresholds.subsystems
#   remediation: |
#     Make the AutoRenew action fire within the interval: shorten `validityInMonths` (3 months for a
#     90-day interval, with `daysBeforeExpiry` of about 10), or lower `lifetimePercentage` so that
#     validity x percentage <= the interval.
#   references:
#     - "Azure Policy: Certificates should have the specified lifetime action triggers"
package vaultproof.rules.azure.certificate_renewal_in_time

import data.vaultproof.lib
import data.vaultproof.lib.classification
import rego.v1

metric_name := "CertificateRenewalDay"

# An array: each object appears once, and a set would hash every whole object. A certificate whose
# policy says it does not renew automatically is VP-AZ-007's failure, not judged here.
certificates := [[o, interval] |
	v := input.vault
	v.provider == "azure-keyvault"
	some id, o in v.objects
	o.kind == "certificate"
	o.enabled == true
	not renews_by_hand(o)
	interval := classification.vault_rotation_days[id]
	interval != null
]

renews_by_hand(o) if o.certificate_policy.auto_renew == false

findings[out.resource.id] := out if {
	some [o, interval] in certificates
	day := renewal_day(o.certificate_policy)
	status := lib.status_le(day, interval)
	msg := concat("", ["certificate '", o.path, "' (", lib.num_str(o.certificate_policy.validity_months), " months) renews on day ", lib.num_str(day), trigger_text(o.certificate_policy)])
	out := lib.finding(status, lib.object_resource(input.vault, o), lib.metric(metric_name, day, "<=", interval), msg)
}

findings[out.resource.id] := out if {
	some [o, interval] in certificates
	# object.get: a certificate whose policy was not read must reach here (an absent reference
	# inside `not` made the whole rule body undefined, and the finding vanished).
	not renewal_day(object.get(o, "certificate_policy", null))
	msg := concat("", ["the renewal trigger or validity of certificate '", o.path, "' could not be read"])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "<=", interval), msg)
}

# Whole days, rounded down to a tenth like every other metric (lib.num_str).
renewal_day(p) := round((min(trigger_days(p)) * 10)) / 10 if count(trigger_days(p)) > 0

validity_days(p) := (p.validity_months * 365) / 12 if {
	p.auto_renew == true
	is_number(p.validity_months)
}

trigger_days(p) := {d |
	some d in [by_percentage(p), by_days(p)]
	d != null
}

by_percentage(p) := (validity_days(p) * p.renew_at_lifetime_percentage) / 100 if is_number(p.renew_at_lifetime_percentage)

by_percentage(p) := null if not is_number(p.renew_at_lifetime_percentage)

by_days(p) := validity_days(p) - p.renew_before_expiry_days if is_number(p.renew_before_expiry_days)

by_days(p) := null if not is_number(p.renew_before_expiry_days)

trigger_text(p) := concat("", [" (", lib.num_str(p.renew_at_lifetime_percentage), " % of its lifetime)"]) if {
	is_number(p.renew_at_lifetime_percentage)
	not is_number(p.renew_before_expiry_days)
}

trigger_text(p) := concat("", [" (", lib.num_str(p.renew_before_expiry_days), " days before expiry)"]) if {
	is_number(p.renew_before_expiry_days)
	not is_number(p.renew_at_lifetime_percentage)
}

trigger_text(p) := concat("", [" (", lib.num_str(p.renew_at_lifetime_percentage), " % of its lifetime or ", lib.num_str(p.renew_before_expiry_days), " days before expiry)"]) if {
	is_number(p.renew_at_lifetime_percentage)
	is_number(p.renew_before_expiry_days)
}
