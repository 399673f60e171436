package vaultproof.lib.fleet_facts_test

import data.vaultproof.lib.fleet_facts
import data.vaultproof.test.fixtures as fx
import rego.v1

objs := {
	"k1": fx.obj("k1", "key", "project/packaging/signing/authenticode", 1, {}),
	"s1": fx.obj("s1", "secret", "project/packaging/publish/store", 1, {}),
	"s2": object.union(fx.obj("s2", "secret", "project/packaging/signing/old-token", 1, {}), {"enabled": false}),
}

grant(id, scope, caps) := {"id": id, "principal": "p", "vault": "v", "scope": scope, "capabilities": caps, "source": "policy"}

test_types_of_covered_enabled_objects_per_using_grant if {
	grants := {
		"all": grant("all", "*", ["sign", "read-value"]),
		"signing": grant("signing", "project/packaging/signing/*", ["sign"]),
		"meta": grant("meta", "*", ["read-metadata", "list"]),
	}
	inp := object.union(fx.vault_input(objs), {"grants": grants})
	fleet_facts.grant_types == {"all": ["publish-credential", "signing-key"], "signing": ["signing-key"]} with input as inp
}

test_a_using_grant_that_covers_nothing_has_no_types if {
	inp := object.union(fx.vault_input(objs), {"grants": {"none": grant("none", "elsewhere/*", ["read-value"])}})
	fleet_facts.grant_types == {"none": []} with input as inp
}

test_no_facts_outside_vault_shards if {
	count(fleet_facts.grant_types) == 0 with input as {"kind": "fleet", "grants": {"a": grant("a", "*", ["sign"])}}
}
