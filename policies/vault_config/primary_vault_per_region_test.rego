package vaultproof.rules.vault_config.primary_vault_per_region_test

import data.vaultproof.rules.vault_config.primary_vault_per_region as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

vaults := {
	"a": {"id": "a", "provider": "azure-keyvault", "name": "kv-weu", "region": "westeurope", "role": "primary"},
	"b": {"id": "b", "provider": "azure-keyvault", "name": "kv-neu", "region": "northeurope", "role": "secondary"},
	"c": {"id": "c", "provider": "hashicorp-vault", "name": "vault-uks", "region": "uksouth", "role": "primary"},
}

fleet(regions) := {"kind": "fleet", "now": fx.now, "regions_in_scope": regions, "vaults": vaults, "replication": {}}

test_region_with_primary_passes if {
	some f in rule.findings with input as fleet(["westeurope"])
	f.status == "pass"
	f.resource == {"provider": "azure-keyvault", "vault": "kv-weu", "type": "region", "id": "region:westeurope", "path": "westeurope"}
	f.message == "region westeurope has primary vault(s) kv-weu"
}

test_region_with_only_a_secondary_fails if {
	some f in rule.findings with input as fleet(["northeurope"])
	f.status == "fail"
	f.metric == {"name": "PrimaryVaultPerRegion", "value": false, "op": "==", "threshold": true}
	f.message == "region northeurope is in scope but has no primary vault"
}

test_without_configured_regions_every_vault_region_is_judged if {
	fx.statuses(rule.findings) == {
		["region:westeurope", "pass"], ["region:northeurope", "fail"], ["region:uksouth", "pass"],
	} with input as fleet([])
}

test_hashicorp_primary_names_its_provider if {
	some f in rule.findings with input as fleet(["uksouth"])
	f.resource.provider == "hashicorp-vault"
}

test_vault_shard_yields_nothing if {
	count(rule.findings) == 0 with input as fx.vault_input({})
}
