package vaultproof.rules.azure.public_network_access_restricted_test

import data.vaultproof.rules.azure.public_network_access_restricted as pna
import data.vaultproof.test.fixtures as fx
import rego.v1

vid := fx.azure_vault({}).id

with_config(c) := {"kind": "vault", "now": fx.now, "vault": fx.azure_vault({"config": object.union(fx.azure_vault({}).config, c)})}

test_public_network_access if {
	fx.statuses(pna.findings) == {[vid, "pass"]} with input as with_config({})
	fx.statuses(pna.findings) == {[vid, "pass"]} with input as with_config({"public_network_access": "enabled", "network_default_action": "deny"})
	fx.statuses(pna.findings) == {[vid, "fail"]} with input as with_config({"public_network_access": "enabled", "network_default_action": "allow"})
	fx.statuses(pna.findings) == {[vid, "error"]} with input as with_config({"public_network_access": null, "network_default_action": null})
	some f in pna.findings with input as with_config({"public_network_access": "enabled", "network_default_action": "allow"})
	f.message == "public network access enabled, firewall default action allow"
	some g in pna.findings with input as with_config({"public_network_access": null, "network_default_action": "allow"})
	g.message == "the network settings could not be read"
}

test_hashicorp_vaults_not_judged if {
	count(pna.findings) == 0 with input as fx.hashi_input({})
}
