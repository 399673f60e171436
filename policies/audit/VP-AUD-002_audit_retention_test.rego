package vaultproof.rules.audit.audit_retention_test

import data.vaultproof.rules.audit.audit_retention as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

vid := fx.azure_vault({}).id

# A sink declaring one retention for everything it keeps (a storage sink in snapshots without per-category retention).
dest(id, days) := {"id": id, "type": "storage", "enabled": true, "categories": ["audit"], "retention_days": days}

# A Log Analytics sink: the workspace default and the table the audit records land in, as the collector reads them.
workspace(id, default_days, table) := {
	"id": id, "type": "log-analytics", "enabled": true, "categories": ["audit"], "retention_days": default_days,
	"log_analytics_table": table,
}

table(name, days, total) := {"name": name, "retention_days": days, "total_retention_days": total}

# A storage sink with a retention per category, as the collector records it.
storage(id, per_category) := {
	"id": id, "type": "storage", "enabled": true, "categories": [c | some c, _ in per_category],
	"retention_days": null, "category_retention_days": per_category,
}

with_dests(dests) := {"kind": "vault", "now": fx.now, "vault": fx.azure_vault({"audit": {"destinations": dests}})}

hashi_with(dests) := fx.hashi_input({"audit": {"destinations": dests}})

device(id, type, file_path, days) := {
	"id": id, "type": type, "enabled": true, "categories": ["audit"], "retention_days": days,
	"options": {"file_path": file_path},
}

only(findings) := f if {
	count(findings) == 1
	some f in findings
}

test_two_years_passes if {
	f := only(rule.findings) with input as with_dests([dest("a", 730), dest("c", 0)])
	f.status == "pass"
	f.metric == {"name": "AuditRetentionDays", "value": 730, "op": ">=", "threshold": 730}
	f.message == "audit logs are kept at least 730 days"
}

test_keep_forever_passes if {
	f := only(rule.findings) with input as with_dests([dest("c", 0)])
	f.status == "pass"
	f.metric.value == "unlimited"
	f.message == "audit logs are kept without limit"
}

test_short_retention_fails if {
	f := only(rule.findings) with input as with_dests([dest("a", 730), dest("b", 90)])
	f.status == "fail"
	f.message == "audit destination(s) b keep logs 90 days, under 730"
}

# Issue 15: AuditEvent kept forever and a 30-day policy-evaluation log in one setting: only the
# audit category counts.
test_non_audit_category_retention_not_counted if {
	s := storage("diag#storage", {"AuditEvent": 0, "AzurePolicyEvaluationDetails": 30})
	f := only(rule.findings) with input as with_dests([s])
	f.status == "pass"
	f.metric.value == "unlimited"
}

test_short_audit_category_retention_fails if {
	s := storage("diag#storage", {"AuditEvent": 30, "AzurePolicyEvaluationDetails": 0})
	f := only(rule.findings) with input as with_dests([s])
	f.status == "fail"
	f.metric.value == 30
	f.message == "audit destination(s) diag#storage keep logs 30 days, under 730"
}

test_destination_without_audit_category_not_counted if {
	policy_only := {"id": "policy#storage", "type": "storage", "enabled": true, "categories": ["AzurePolicyEvaluationDetails"], "retention_days": 30}
	f := only(rule.findings) with input as with_dests([dest("a", 730), policy_only])
	f.status == "pass"
}

# Issue 15: a destination that declares no retention is an error, never left unjudged.
test_no_declared_retention_is_error if {
	f := only(rule.findings) with input as with_dests([dest("b", null)])
	f.status == "error"
	f.metric.value == null
	f.message == "audit destination(s) b declare no retention for the audit records: how long they are kept is unknown"
}

test_one_unknown_destination_is_error if {
	f := only(rule.findings) with input as with_dests([dest("a", 730), dest("b", null)])
	f.status == "error"
}

test_unknown_audit_category_retention_is_error if {
	s := storage("diag#storage", {"AuditEvent": null, "AzurePolicyEvaluationDetails": 0})
	f := only(rule.findings) with input as with_dests([s])
	f.status == "error"
}

test_negative_retention_is_error if {
	f := only(rule.findings) with input as with_dests([dest("a", -1)])
	f.status == "error"
}

test_short_beats_unknown if {
	f := only(rule.findings) with input as with_dests([dest("a", 90), dest("b", null)])
	f.status == "fail"
}

test_vault_audit_device_without_retention_is_error if {
	f := only(rule.findings) with input as hashi_with([device("file/", "file", "/var/log/vault/audit.log", null)])
	f.status == "error"
	f.message == "audit destination(s) file/ declare no retention for the audit records: how long they are kept is unknown"
}

test_discard_device_is_not_a_destination if {
	dests := [device("file/", "file", "discard", null), device("syslog/", "syslog", "", 730)]
	f := only(rule.findings) with input as hashi_with(dests)
	f.status == "pass"
}

test_nothing_keeps_audit_records_fails if {
	f := only(rule.findings) with input as hashi_with([device("file/", "file", "discard", null)])
	f.status == "fail"
	f.metric.value == 0
	f.message == "no enabled audit destination keeps the audit records"
	g := only(rule.findings) with input as with_dests([])
	g.status == "fail"
}

test_unreadable_configuration_is_error if {
	fx.statuses(rule.findings) == {[vid, "error"]} with input as with_dests(null)
	f := only(rule.findings) with input as with_dests(null)
	f.message == "the audit configuration could not be read"
}

# Issue 20: a Log Analytics sink is judged by its table's total retention, which overrides the
# workspace default either way (longer through long-term retention, or a table cut shorter).
test_log_analytics_table_total_retention_decides if {
	long := workspace("law#log-analytics", 90, table("AZKVAuditLogs", 90, 730))
	f := only(rule.findings) with input as with_dests([long])
	f.status == "pass"
	f.metric.value == 730
	short := workspace("law#log-analytics", 730, table("AzureDiagnostics", 90, 90))
	g := only(rule.findings) with input as with_dests([short])
	g.status == "fail"
	g.metric.value == 90
	g.message == "audit destination(s) law#log-analytics keep logs 90 days, under 730"
}

# First law: a table not read (or a snapshot from before tables were read) is error, whatever the workspace keeps.
test_log_analytics_table_unread_is_error if {
	unread := workspace("law#log-analytics", 730, table("AZKVAuditLogs", null, null))
	f := only(rule.findings) with input as with_dests([unread])
	f.status == "error"
	f.message == "audit destination(s) law#log-analytics declare no retention for the audit records: how long they are kept is unknown"
	older := json.remove(workspace("law#log-analytics", 730, null), ["log_analytics_table"])
	only(rule.findings).status == "error" with input as with_dests([older])
	only(rule.findings).status == "error" with input as with_dests([workspace("law#log-analytics", 730, null)])
	# Log Analytics keeps nothing forever: a total of 0 is no retention read
	only(rule.findings).status == "error" with input as with_dests([workspace("law#log-analytics", 730, table("AZKVAuditLogs", 0, 0))])
	# a short workspace table still fails beside an unread one
	only(rule.findings).status == "fail" with input as with_dests([unread, workspace("law2#log-analytics", 730, table("AzureDiagnostics", 30, 30))])
}
