# METADATA
# title: Audit logs are retained for at least 2 years by every audit destination
# description: |
#   Vault audit logs are kept at least 2 years in the SIEM (`audit_retention_days`). Judged on every
#   enabled destination carrying audit records (Azure: the AuditEvent category or the audit /
#   allLogs group, per category where the sink keeps a retention per category; other diagnostic
#   categories do not count; HashiCorp Vault: each audit device), 0 days meaning "keep forever". A
#   Log Analytics destination is judged by the table its audit records land in (`AZKVAuditLogs` for a
#   resource-specific setting, else `AzureDiagnostics`): the table's total retention
#   (`totalRetentionInDays`, interactive plus long-term), read from the workspace, which is the table's
#   own setting where it overrides the workspace default (`retentionInDays`) and the default where
#   it does not; the workspace default alone never decides. A destination whose retention is unknown
#   (an event hub, whose retention the diagnostic setting does not carry; a workspace table that could
#   not be read, or a snapshot taken before tables were read; a Vault audit device) cannot be judged:
#   error, naming it.
#   A Vault file device writing to `discard` or `stdout` keeps nothing and is not a destination; a
#   vault with no destination keeping audit records fails; an unreadable audit configuration is error.
# custom:
#   id: VP-AUD-002
#   severity: medium
#   control: secrets-management §5
#   requirements: [SM-5-d]
#   metric: AuditRetentionDays
#   settings:
#     - thresholds.audit_retention_days
#   remediation: |
#     Raise the destination's retention to at least 730 days (the Log Analytics table's total
#     retention, e.g. `az monitor log-analytics workspace table update --name AZKVAuditLogs
#     --total-retention-time 730`, or the workspace's; a storage lifecycle policy), or 0 (keep forever); declare the
#     retention on a storage sink's audit categories, or ship the audit records to a destination
#     whose retention the collector can read.
#   references:
#     - "secrets-management §5: vault log retention minimum 2 years in SIEM"
#     - "CIS Microsoft Azure Foundations 5.1.x: activity/diagnostic log retention"
#     - "Azure Monitor Logs: table-level retention (Tables - Get: retentionInDays, totalRetentionInDays)"
package vaultproof.rules.audit.audit_retention

import data.vaultproof.lib
import data.vaultproof.lib.audit
import rego.v1

metric_name := "AuditRetentionDays"

# [id, retention] of each destination keeping audit records: days (0 = forever) or "unknown"
# (pairs, not an object: two destinations with one id must not conflict).
kept := {[d.id, retention(d)] |
	some d in input.vault.audit.destinations
	audit.carries_audit(d)
	audit.sink(d) != "nowhere"
}

# Per-category retention (Azure storage sink): only the audit categories count.
retention(d) := days_of({object.get(d.category_retention_days, c, null) |
	some c in d.categories
	audit.audit_categories[lower(c)]
}) if per_category(d)

retention(d) := days_of({object.get(d, "retention_days", null)}) if {
	not per_category(d)
	not log_analytics(d)
}

# Log Analytics: the total retention of the table the audit records land in (Log Analytics keeps
# nothing forever: 0 is no valid table retention, and the workspace default alone is not the table's).
retention(d) := days_of({table_total(d)}) if {
	not per_category(d)
	log_analytics(d)
}

log_analytics(d) if d.type == "log-analytics"

table_total(d) := table_days(d)

table_total(d) := null if not table_days(d)

table_days(d) := days if {
	t := object.get(d, "log_analytics_table", null)
	is_object(t)
	days := object.get(t, "total_retention_days", null)
	is_number(days)
	days > 0
}

# (`not is_object(x)` is undefined, not true, when x is undefined: test through a helper rule.)
per_category(d) if is_object(d.category_retention_days)

days_of(values) := "unknown" if {
	some x in values
	not valid_days(x)
}

days_of(values) := min(finite) if {
	every x in values {
		valid_days(x)
	}
	finite := {x | some x in values; x > 0}
	count(finite) > 0
}

days_of(values) := 0 if {
	every x in values {
		x == 0
	}
}

valid_days(x) if {
	is_number(x)
	x >= 0
}

findings[out.resource.id] := out if {
	v := input.vault
	is_array(v.audit.destinations)
	limit := data.config.thresholds.audit_retention_days
	short := sort({id | some [id, days] in kept; is_number(days); days > 0; days < limit})
	unknown := sort({id | some [id, days] in kept; days == "unknown"})
	status := judge(count(kept), short, unknown)
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, value(status, kept), ">=", limit), message(status, short, unknown, limit))
}

findings[out.resource.id] := out if {
	v := input.vault
	not destinations_known(v)
	limit := data.config.thresholds.audit_retention_days
	out := lib.finding("error", lib.vault_resource(v), lib.metric(metric_name, null, ">=", limit), "the audit configuration could not be read")
}

destinations_known(v) if is_array(v.audit.destinations)

judge(0, _, _) := "fail"

judge(n, short, _) := "fail" if {
	n > 0
	count(short) > 0
}

judge(n, short, unknown) := "error" if {
	n > 0
	count(short) == 0
	count(unknown) > 0
}

judge(n, short, unknown) := "pass" if {
	n > 0
	count(short) == 0
	count(unknown) == 0
}

value("error", _) := null

value(status, kept) := 0 if {
	status != "error"
	count(kept) == 0
}

value(status, kept) := shortest({d | some [_, d] in kept; is_number(d); d > 0}) if {
	status != "error"
	count(kept) > 0
}

shortest(finite) := "unlimited" if count(finite) == 0

shortest(finite) := min(finite) if count(finite) > 0

message("fail", _, _, _) := "no enabled audit destination keeps the audit records" if count(kept) == 0

message("fail", short, _, limit) := concat("", ["audit destination(s) ", concat(", ", short), " keep logs ", lib.num_str(value("fail", kept)), " days, under ", lib.num_str(limit)]) if count(short) > 0

message("error", _, unknown, _) := concat("", ["audit destination(s) ", concat(", ", unknown), " declare no retention for the audit records: how long they are kept is unknown"])

message("pass", _, _, _) := concat("", ["audit logs are kept ", text(value("pass", kept))])

text("unlimited") := "without limit"

text(days) := concat("", ["at least ", lib.num_str(days), " days"]) if is_number(days)
