package vaultproof.rules.hashicorp.token_ttl_bounded_test

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

