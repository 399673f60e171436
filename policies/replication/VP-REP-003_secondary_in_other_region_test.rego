package vaultproof.rules.replication.secondary_in_other_region_test

import data.vaultproof.rules.replication.secondary_in_other_region as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

vault(id, name, region, role) := {"id": id, "provider": "azure-keyvault", "name": name, "region": region, "role": role}

pair(id, primary, secondary) := {"id": id, "primary": primary, "secondary": secondary, "method": "version-compare"}

fleet(vaults, pairs) := {"kind": "fleet", "now": fx.now, "vaults": vaults, "replication": pairs}

weu := vault("p", "kv-weu", "westeurope", "primary")

neu := vault("s", "kv-neu", "northeurope", "secondary")

test_secondary_in_another_region_passes if {
	inp := fleet({"p": weu, "s": neu}, {"pair": pair("pair", "p", "s")})
	fx.statuses(rule.findings) == {["p", "pass"]} with input as inp
	some f in rule.findings with input as inp
	f.metric == {"name": "SecondaryInOtherRegion", "value": true, "op": "==", "threshold": true}
	f.message == "kv-weu (westeurope) replicates to kv-neu in another region"
	f.resource == {"provider": "azure-keyvault", "vault": "kv-weu", "type": "vault", "id": "p", "path": ""}
}

test_primary_without_secondary_fails if {
	some f in rule.findings with input as fleet({"p": weu, "s": neu}, {})
	f.status == "fail"
	f.metric.value == false
	f.message == "primary kv-weu (westeurope) has no secondary: no replication pair names it as primary"
}

test_secondary_in_the_same_region_fails if {
	same := vault("s", "kv-weu-2", "WestEurope", "secondary")
	some f in rule.findings with input as fleet({"p": weu, "s": same}, {"pair": pair("pair", "p", "s")})
	f.status == "fail"
	f.message == "primary kv-weu replicates only within its own region westeurope (kv-weu-2)"
}

# One secondary in another region is enough: a second, same-region pair does not undo it.
test_one_secondary_elsewhere_is_enough if {
	same := vault("s2", "kv-weu-2", "westeurope", "secondary")
	inp := fleet({"p": weu, "s": neu, "s2": same}, {"a": pair("a", "p", "s"), "b": pair("b", "p", "s2")})
	fx.statuses(rule.findings) == {["p", "pass"]} with input as inp
}

test_secondaries_are_not_judged_themselves if {
	inp := fleet({"s": neu}, {})
	count(rule.findings) == 0 with input as inp
}

# Missing evidence: a region unknown on either side is error, never pass nor a guess.
test_secondary_not_in_snapshot_is_error if {
	some f in rule.findings with input as fleet({"p": weu}, {"pair": pair("pair", "p", "vault-dr.example:8200")})
	f.status == "error"
	f.metric.value == null
	f.message == "whether primary kv-weu (westeurope) replicates to another region is not known: the region of its secondary vault-dr.example:8200 is not known (not in the snapshot, or no region)"
}

test_secondary_without_region_is_error if {
	inp := fleet({"p": weu, "s": object.remove(neu, ["region"])}, {"pair": pair("pair", "p", "s")})
	fx.statuses(rule.findings) == {["p", "error"]} with input as inp
	blank := fleet({"p": weu, "s": json.patch(neu, [{"op": "replace", "path": "/region", "value": ""}])}, {"pair": pair("pair", "p", "s")})
	fx.statuses(rule.findings) == {["p", "error"]} with input as blank
}

test_primary_without_region_is_error if {
	inp := fleet({"p": json.patch(weu, [{"op": "replace", "path": "/region", "value": null}]), "s": neu}, {"pair": pair("pair", "p", "s")})
	some f in rule.findings with input as inp
	f.status == "error"
	f.message == "whether primary kv-weu replicates to another region is not known: the primary has no region"
}

test_primary_without_region_or_pair_fails if {
	inp := fleet({"p": object.remove(weu, ["region"])}, {})
	some f in rule.findings with input as inp
	f.status == "fail"
	f.message == "primary kv-weu (no region) has no secondary: no replication pair names it as primary"
}

# A known other-region secondary proves the topology even when another secondary's region is unknown.
test_known_other_region_outweighs_an_unknown_one if {
	inp := fleet({"p": weu, "s": neu}, {"a": pair("a", "p", "s"), "b": pair("b", "p", "gone")})
	fx.statuses(rule.findings) == {["p", "pass"]} with input as inp
}

test_vault_shard_yields_nothing if {
	count(rule.findings) == 0 with input as fx.vault_input({})
}

# A pair configured for the primary whose secondary was not collected: where it is, is not known (error, not "no secondary").
test_configured_pair_not_collected_is_error if {
	inp := object.union(fleet({"p": weu}, {}), {"unresolved_pairs": {"replication:kv-weu->kv-neu": {
		"primary": "KV-WEU", "secondary": "kv-neu", "reason": "vault kv-neu was not collected (not found, filtered out or discovery failed)",
	}}})
	some f in rule.findings with input as inp
	f.status == "error"
	f.message == "whether primary kv-weu (westeurope) replicates to another region is not known: the region of its secondary kv-neu (configured, not collected: vault kv-neu was not collected (not found, filtered out or discovery failed)) is not known (not in the snapshot, or no region)"
	other := object.union(fleet({"p": weu}, {}), {"unresolved_pairs": {"replication:kv-x->kv-y": {"primary": "kv-x", "secondary": "kv-y", "reason": "r"}}})
	fx.statuses(rule.findings) == {["p", "fail"]} with input as other
}
