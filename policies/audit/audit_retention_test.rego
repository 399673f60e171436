package vaultproof.rules.audit.audit_retention_test

import data.vaultproof.rules.audit.audit_retention as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

dest(id, days) := {"id": id, "type": "log-analytics", "enabled": true, "categories": ["audit"], "retention_days": days}

with_dests(dests) := {"kind": "vault", "now": fx.now, "vault": fx.azure_vault({"audit": {"destinations": dests}})}

test_two_years_passes if {
	some f in rule.findings with input as with_dests([dest("a", 730), dest("b", null), dest("c", 0)])
	f.status == "pass"
	f.metric == {"name": "AuditRetentionDays", "value": 730, "op": ">=", "threshold": 730}
	f.message == "audit logs are kept at least 730 days"
}

test_keep_forever_passes if {
	some f in rule.findings with input as with_dests([dest("c", 0)])
	f.metric.value == "unlimited"
	f.message == "audit logs are kept without limit"
}

test_short_retention_fails if {
	some f in rule.findings with input as with_dests([dest("a", 730), dest("b", 90)])
	f.status == "fail"
	f.message == "audit destination(s) b keep logs 90 days, under 730"
}

test_no_declared_retention_not_judged if {
	count(rule.findings) == 0 with input as with_dests([dest("b", null)])
	count(rule.findings) == 0 with input as with_dests(null)
}
