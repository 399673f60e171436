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

device(id, type, options) := {"id": id, "type": type, "enabled": true, "categories": ["audit"], "retention_days": null, "options": options}

hashi_with(dests) := fx.hashi_input({"audit": {"destinations": dests}})

test_file_device_with_path_passes if {
	some f in rule.findings with input as hashi_with([device("file/", "file", {"file_path": "/var/log/vault/audit.log"})])
	f.status == "pass"
	f.message == "audit events stream to file/"
}

# Issue 15: a file device writing to discard, or to stdout only, ships no audit record.
test_discard_and_stdout_devices_fail if {
	dests := [device("file/", "file", {"file_path": "discard"}), device("out/", "file", {"file_path": "stdout"})]
	some f in rule.findings with input as hashi_with(dests)
	f.status == "fail"
	f.metric.value == 0
	f.message == "audit device(s) file/, out/ write to discard or stdout only: no audit record reaches the SIEM"
}

test_discard_beside_syslog_passes if {
	dests := [device("file/", "file", {"file_path": "discard"}), device("syslog/", "syslog", {})]
	some f in rule.findings with input as hashi_with(dests)
	f.status == "pass"
	f.message == "audit events stream to syslog/"
}

test_file_device_without_path_is_error if {
	some f in rule.findings with input as hashi_with([device("file/", "file", {})])
	f.status == "error"
	f.metric.value == null
	f.message == "audit device(s) file/ write to a file whose path was not collected: whether they ship anything is unknown"
	some g in rule.findings with input as hashi_with([{"id": "file/", "type": "file", "enabled": true, "categories": ["audit"], "retention_days": null}])
	g.status == "error"
}
