package vaultproof.rules.hashicorp.audit_device_redundancy_test

import data.vaultproof.rules.hashicorp.audit_device_redundancy as devices
import data.vaultproof.test.fixtures as fx
import rego.v1

test_audit_devices if {
	fx.statuses(devices.findings) == {["hashicorp-vault:hv", "pass"]} with input as fx.hashi_input({})
	one := [{"id": "file/", "type": "file", "enabled": true, "categories": ["audit"], "retention_days": null, "options": {"file_path": "/var/log/vault/audit.log"}}]
	fx.statuses(devices.findings) == {["hashicorp-vault:hv", "fail"]} with input as fx.hashi_input({"audit": {"destinations": one}})
	fx.statuses(devices.findings) == {["hashicorp-vault:hv", "error"]} with input as fx.hashi_input({"audit": {"destinations": null}})
}

# Issue 15: a file device writing to discard or stdout ships nothing and is no redundancy; one whose
# file_path was not collected cannot be counted either way.
test_discard_device_is_no_redundancy if {
	dests := [
		{"id": "file/", "type": "file", "enabled": true, "categories": ["audit"], "retention_days": null, "options": {"file_path": "discard"}},
		{"id": "syslog/", "type": "syslog", "enabled": true, "categories": ["audit"], "retention_days": 730, "options": {}},
	]
	some f in devices.findings with input as fx.hashi_input({"audit": {"destinations": dests}})
	f.status == "fail"
	f.metric.value == 1
	f.message == "1 enabled audit device(s) ship their records"
	unknown := [object.remove(dests[0], ["options"]), dests[1]]
	some g in devices.findings with input as fx.hashi_input({"audit": {"destinations": unknown}})
	g.status == "error"
	g.metric.value == null
}

