package vaultproof.rules.azure.private_endpoint_only_test

import data.vaultproof.rules.azure.private_endpoint_only as pe_only
import data.vaultproof.test.fixtures as fx
import rego.v1

vault_with(config) := {"kind": "vault", "now": fx.now, "vault": fx.azure_vault({"config": object.union(fx.azure_vault({}).config, config)})}

statuses(inp) := [f.status | some f in pe_only.findings with input as inp]

test_private_endpoint_and_public_access if {
	statuses(vault_with({"private_endpoints": 2, "public_network_access": "disabled", "network_default_action": "deny"})) == ["pass"]
	# "Enabled + firewall Deny" is not private-only (Prowler keyvault_access_only_through_private_endpoints).
	statuses(vault_with({"private_endpoints": 1, "public_network_access": "enabled", "network_default_action": "deny"})) == ["fail"]
	some f in pe_only.findings with input as vault_with({"private_endpoints": 1, "public_network_access": "enabled", "network_default_action": "deny"})
	f.message == "public network access is enabled on a vault with 1 private endpoint connection(s)"
	f.metric == {"name": "PublicNetworkAccessDisabled", "value": false, "op": "==", "threshold": true}
}

test_vault_without_private_endpoint_is_not_judged if {
	statuses(vault_with({"private_endpoints": 0, "public_network_access": "enabled"})) == []
}

# First law: an unread count or setting is error, never pass.
test_unread_facts_are_error if {
	statuses(vault_with({"private_endpoints": null, "public_network_access": "disabled"})) == ["error"]
	statuses(vault_with({"private_endpoints": 1, "public_network_access": null})) == ["error"]
	some f in pe_only.findings with input as vault_with({"private_endpoints": 1, "public_network_access": null})
	f.message == "public network access could not be read"
}

test_absent_facts_are_error if {
	statuses(without(fx.azure_vault({}), "private_endpoints")) == ["error"]
	statuses(without(fx.azure_vault({}), "public_network_access")) == ["error"]
}

# A vault whose config lacks `key` (fx.azure_vault merges overrides, so the key is removed afterwards).
without(v, key) := {"kind": "vault", "now": fx.now, "vault": object.union(object.remove(v, ["config"]), {"config": object.remove(v.config, [key])})}
