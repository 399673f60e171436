package vaultproof.rules.audit.audit_logging_enabled_test

import data.vaultproof.rules.audit.audit_logging_enabled as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

vid := fx.azure_vault({}).id

dest(id, type, enabled, categories) := {"id": id, "type": type, "enabled": enabled, "categories": categories, "retention_days": null}

with_dests(dests) := {"kind": "vault", "now": fx.now, "vault": fx.azure_vault({"audit": {"destinations": dests}})}

test_log_analytics_with_audit_passes if {
	some f in rule.findings with input as with_dests([dest("diag-siem", "log-analytics", true, ["AuditEvent"])])
	f.status == "pass"
	f.metric == {"name": "AuditLoggingEnabled", "value": 1, "op": ">=", "threshold": 1}
	f.message == "audit events stream to diag-siem"
}

test_hashicorp_device_passes if {
	fx.statuses(rule.findings) == {["hashicorp-vault:hv", "pass"]} with input as fx.hashi_input({})
}

test_no_destination_fails if {
	some f in rule.findings with input as with_dests([dest("d", "log-analytics", false, ["audit"]), dest("m", "event-hub", true, ["AllMetrics"])])
	f.status == "fail"
	f.message == "no enabled audit destination ships audit events"
}

test_storage_only_fails if {
	some f in rule.findings with input as with_dests([dest("archive", "storage", true, ["allLogs"])])
	f.status == "fail"
	f.message == "audit events are only archived (archive), nothing streams them to the SIEM"
}

test_unreadable_configuration_is_error if {
	fx.statuses(rule.findings) == {[vid, "error"]} with input as with_dests(null)
}
