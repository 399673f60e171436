package vaultproof.rules.hashicorp.no_live_root_tokens_test

import data.vaultproof.rules.hashicorp.no_live_root_tokens as roots
import data.vaultproof.test.fixtures as fx
import rego.v1

test_root_tokens if {
	some f in roots.findings with input as fx.hashi_input({})
	f.status == "pass"
	f.message == "no live root token"
	hc := object.union(fx.hashi_vault({}).hashicorp, {"root_tokens": [
		{"accessor_hash": "hmac-a", "created": fx.days_ago(1), "expires": null},
		{"accessor_hash": "hmac-b", "created": fx.days_ago(1), "expires": fx.days_ago(0) - 10},
	]})
	some g in roots.findings with input as fx.hashi_input({"hashicorp": hc})
	g.status == "fail"
	g.message == "1 live root token(s): hmac-a"
	hn := object.union(fx.hashi_vault({}).hashicorp, {"root_tokens": null})
	fx.statuses(roots.findings) == {["hashicorp-vault:hv", "error"]} with input as fx.hashi_input({"hashicorp": hn})
}

test_azure_vaults_not_judged if {
	count(roots.findings) == 0 with input as fx.vault_input({})
}
