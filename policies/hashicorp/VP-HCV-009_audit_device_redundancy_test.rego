package vaultproof.rules.hashicorp.hashicorp_operations_test

import data.vaultproof.rules.hashicorp.audit_device_redundancy as devices
import data.vaultproof.rules.hashicorp.pki_ca_validity as ca
import data.vaultproof.rules.hashicorp.pki_leaf_age as leaf
import data.vaultproof.rules.hashicorp.replication_connected as repl
import data.vaultproof.rules.hashicorp.token_ttl_bounded as ttl
import data.vaultproof.test.fixtures as fx
import rego.v1

hc(extra) := fx.hashi_input({"hashicorp": object.union(fx.hashi_vault({}).hashicorp, extra)})

role(id, method, max_ttl, sid_ttl) := {"id": id, "method": method, "name": id, "token_policies": ["p"], "token_ttl": 3600, "token_max_ttl": max_ttl, "secret_id_ttl": sid_ttl}

test_token_ttls if {
	roles := {
		"ok": role("ok", "approle", 14400, 2592000),
		"zero": role("zero", "kubernetes", 0, null),
		"long": role("long", "jwt", 2592000, null),
		"forever": role("forever", "approle", 3600, 0),
		"unread": role("unread", "approle", null, null),
	}
	fx.statuses(ttl.findings) == {["ok", "pass"], ["zero", "fail"], ["long", "fail"], ["forever", "fail"], ["unread", "error"]} with input as hc({"auth_roles": roles})
	some f in ttl.findings with input as hc({"auth_roles": {"long": roles.long}})
	f.message == "role long: token_max_ttl 2592000 s is over 86400 s"
	f.metric == {"name": "TokenMaxTtlSeconds", "value": 2592000, "op": "<=", "threshold": 86400}
	some g in ttl.findings with input as hc({"auth_roles": {"ok": roles.ok}})
	g.message == "role ok issues tokens for at most 14400 s"
}

cert(id, is_ca, nbf, naf) := {"id": id, "mount": "pki/", "serial": id, "is_ca": is_ca, "not_before": nbf, "not_after": naf}

pki := {
	"ca-ok": cert("ca-ok", true, fx.days_ago(400), fx.now + (3000 * fx.day)),
	"ca-soon": cert("ca-soon", true, fx.days_ago(3000), fx.now + (100 * fx.day)),
	"leaf-ok": cert("leaf-ok", false, fx.days_ago(20), fx.now + (70 * fx.day)),
	"leaf-old": cert("leaf-old", false, fx.days_ago(200), fx.now + (165 * fx.day)),
	"leaf-expired": cert("leaf-expired", false, fx.days_ago(400), fx.days_ago(35)),
}

test_pki_ca_validity if {
	fx.statuses(ca.findings) == {["ca-ok", "pass"], ["ca-soon", "fail"]} with input as hc({"pki": pki})
	some f in ca.findings with input as hc({"pki": {"ca-soon": pki["ca-soon"]}})
	f.message == "CA ca-soon on pki/ has 100 days of validity left"
}

test_pki_leaf_age if {
	fx.statuses(leaf.findings) == {["leaf-ok", "pass"], ["leaf-old", "fail"]} with input as hc({"pki": pki})
}

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

fleet(status) := {"kind": "fleet", "now": fx.now, "vaults": {"hv": {"id": "hv", "provider": "hashicorp-vault", "name": "vault-weu", "region": "westeurope", "role": "primary"}}, "replication": {"dr": {
	"id": "dr", "primary": "hv", "secondary": "vault-neu", "method": "vault-enterprise", "status": status,
}}}

st(conn, state) := {"state": state, "connection_state": conn, "last_heartbeat": fx.now - 5, "primary_last_wal": 1, "secondary_last_wal": 1}

test_replication_connection if {
	some f in repl.findings with input as fleet(st("connected", "stream-wals"))
	f.status == "pass"
	f.message == "secondary vault-neu is connected (replication state stream-wals)"
	fx.statuses(repl.findings) == {["dr", "fail"]} with input as fleet(st("disconnected", "idle"))
	fx.statuses(repl.findings) == {["dr", "error"]} with input as fleet(null)
}
