# METADATA
# title: Audit logs are retained for at least 2 years where the destination declares retention
# description: |
#   Vault audit logs are kept at least 2 years in the SIEM (`audit_retention_days`). Judged on the
#   enabled audit destinations that declare a retention (Azure diagnostic settings with a retention
#   policy, destinations configured with retention in the collector); 0 days means "keep forever".
#   Vaults none of whose destinations declares a retention are not judged: the SIEM's own retention
#   policy applies and is out of the vault's view.
# custom:
#   id: VP-AUD-002
#   severity: medium
#   control: secrets-management §5
#   metric: AuditRetentionDays
#   remediation: |
#     Raise the destination's retention to at least 730 days (Log Analytics workspace/table
#     retention or archive tier, storage lifecycle policy), or 0 (keep forever).
#   references:
#     - "secrets-management §5: vault log retention minimum 2 years in SIEM"
#     - "CIS Microsoft Azure Foundations 5.1.x: activity/diagnostic log retention"
package vaultproof.rules.audit.audit_retention

import data.vaultproof.lib
import rego.v1

metric_name := "AuditRetentionDays"

declared(v) := {[d.id, d.retention_days] |
	some d in v.audit.destinations
	d.enabled == true
	is_number(d.retention_days)
}

findings[out.resource.id] := out if {
	v := input.vault
	decl := declared(v)
	count(decl) > 0
	limit := data.config.thresholds.audit_retention_days
	finite := {[days, id] | some [id, days] in decl; days > 0}
	value := shortest(finite)
	short := sort({id | some [days, id] in finite; days < limit})
	status := lib.status_le(count(short), 0)
	msg := message(value, short, limit)
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, value, ">=", limit), msg)
}

shortest(finite) := "unlimited" if count(finite) == 0

shortest(finite) := min({d | some [d, _] in finite}) if count(finite) > 0

message(value, short, _) := concat("", ["audit logs are kept ", text(value)]) if count(short) == 0

message(value, short, limit) := concat("", ["audit destination(s) ", concat(", ", short), " keep logs ", lib.num_str(value), " days, under ", lib.num_str(limit)]) if count(short) > 0

text("unlimited") := "without limit"

text(days) := concat("", ["at least ", lib.num_str(days), " days"]) if is_number(days)
