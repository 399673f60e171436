package vaultproof.rules.azure.defender_for_key_vault_test

import data.vaultproof.rules.azure.defender_for_key_vault as defender
import data.vaultproof.test.fixtures as fx
import rego.v1

vault_with(config, extra) := {"kind": "vault", "now": fx.now, "vault": object.union(fx.azure_vault({"config": object.union(fx.azure_vault({}).config, config)}), extra)}

statuses(inp) := [f.status | some f in defender.findings with input as inp]

test_plan_on_passes_and_off_fails if {
	statuses(vault_with({"defender_for_key_vault": true}, {})) == ["pass"]
	statuses(vault_with({"defender_for_key_vault": false}, {})) == ["fail"]
	some f in defender.findings with input as vault_with({"defender_for_key_vault": false}, {})
	f.metric == {"name": "DefenderForKeyVaultEnabled", "value": false, "op": "==", "threshold": true}
	f.message == "Microsoft Defender for Key Vault is off (Free) for the vault's subscription"
}

# First law: a plan not read (null) or not collected (an older snapshot) is error, never pass.
test_unread_plan_is_error if {
	statuses(vault_with({"defender_for_key_vault": null}, {})) == ["error"]
	older := {"kind": "vault", "now": fx.now, "vault": fx.azure_vault({})}
	statuses(older) == ["error"]
	some f in defender.findings with input as older
	f.message == "the subscription's Defender for Key Vault plan could not be read"
}

test_managed_hsms_and_hashicorp_are_not_judged if {
	statuses(vault_with({"defender_for_key_vault": false}, {"kind": "managed-hsm"})) == []
	count(defender.findings) == 0 with input as fx.hashi_input({})
}
