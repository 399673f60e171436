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

# Issue 15: discovery failed (a subscription could not be listed): a region where no primary vault
# was seen is error, not a failure of what was never seen; a region with a primary still passes.
test_region_unseen_when_discovery_failed_is_error if {
	why := "scope /subscriptions/s1 could not be read (vault discovery: 403)"
	inp := {
		"kind": "fleet", "now": fx.now, "regions_in_scope": ["westeurope", "francecentral"], "vaults": {}, "replication": {},
		"not_judged": {"region:westeurope": why, "region:francecentral": why},
	}
	fx.statuses(rule.findings) == {["region:westeurope", "error"], ["region:francecentral", "error"]} with input as inp
	some f in rule.findings with input as inp
	f.resource.id == "region:francecentral"
	f.metric.value == null
	f.message == "no primary vault was seen in region francecentral, but the collection could not see every vault: scope /subscriptions/s1 could not be read (vault discovery: 403)"
}

test_region_with_primary_passes_despite_discovery_gap if {
	inp := object.union(fleet(["westeurope", "northeurope"]), {"not_judged": {"region:westeurope": "x", "region:northeurope": "x"}})
	fx.statuses(rule.findings) == {["region:westeurope", "pass"], ["region:northeurope", "error"]} with input as inp
}
