package vaultproof.rules.azure.private_endpoint_test

import data.vaultproof.rules.azure.private_endpoint as pe
import data.vaultproof.test.fixtures as fx
import rego.v1

vid := fx.azure_vault({}).id

with_config(c) := {"kind": "vault", "now": fx.now, "vault": fx.azure_vault({"config": object.union(fx.azure_vault({}).config, c)})}

test_private_endpoints if {
	fx.statuses(pe.findings) == {[vid, "pass"]} with input as with_config({})
	fx.statuses(pe.findings) == {[vid, "fail"]} with input as with_config({"private_endpoints": 0})
	fx.statuses(pe.findings) == {[vid, "error"]} with input as with_config({"private_endpoints": null})
}

test_hashicorp_vaults_not_judged if {
	count(pe.findings) == 0 with input as fx.hashi_input({})
}
