package vaultproof.rules.access.separation_of_duties_test

import data.vaultproof.lib.fleet_facts as facts
import data.vaultproof.rules.access.separation_of_duties as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

objects := {
	"kv-pkg": {
		"k1": {"id": "k1", "kind": "key", "name": "authenticode", "path": "project/packaging/signing/authenticode", "tags": {}, "content_type": null, "enabled": true},
		"s1": {"id": "s1", "kind": "secret", "name": "feed", "path": "project/packaging/feeds/feed-token", "tags": {}, "content_type": null, "enabled": true},
	},
	"kv-pub": {"p1": {"id": "p1", "kind": "secret", "name": "store", "path": "project/packaging/publish/store", "tags": {}, "content_type": null, "enabled": true}},
}

g(id, principal, vault, scope, caps) := {"id": id, "principal": principal, "vault": vault, "scope": scope, "capabilities": caps, "source": "rbac"}

# The fleet input as the engine builds it: grant_types from each vault shard's lib.fleet_facts.
fleet(principals, grants) := {"kind": "fleet", "now": fx.now, "vaults": {"kv-pub": {"id": "kv-pub", "name": "kv-publish"}}, "replication": {}, "principals": principals, "grants": grants, "grant_types": grant_types(grants)}

grant_types(grants) := object.union_n([types |
	some vid, objs in objects
	on_vault := {id: gr | some id, gr in grants; gr.vault == vid}
	types := facts.grant_types with input as {"kind": "vault", "now": fx.now, "vault": {"id": vid, "provider": "azure-keyvault", "objects": objs}, "grants": on_vault}
])

principals := {
	"pipe": fx.principal("pipe", "packaging", ["federated"], []),
	"rel": object.union(fx.principal("rel", "", ["password"], ["releasers"]), {"type": "user"}),
	"releasers": fx.principal("releasers", "publisher", ["certificate"], []),
	"reader": fx.principal("reader", "cab", ["certificate"], []),
}

test_pipeline_signing_only_passes if {
	grants := {"a": g("a", "pipe", "kv-pkg", "project/packaging/signing/*", ["read-metadata", "sign"])}
	some f in rule.findings with input as fleet(principals, grants)
	f.status == "pass"
	f.message == "'pipe' can use only signing-key"
}

test_signing_and_publish_across_vaults_fails if {
	grants := {
		"a": g("a", "rel", "kv-pkg", "*", ["sign"]),
		"b": g("b", "releasers", "kv-pub", "*", ["read-value"]),
	}
	some f in rule.findings with input as fleet(principals, grants)
	f.resource.id == "rel"
	f.status == "fail"
	f.metric == {"name": "SeparationOfDuties", "value": false, "op": "==", "threshold": true}
	f.message == "'rel' can use both signing-key + publish-credential (in kv-pkg, kv-publish)"
}

test_metadata_only_grants_are_not_judged if {
	grants := {"a": g("a", "reader", "kv-pkg", "*", ["list", "read-metadata"])}
	count(rule.findings) == 0 with input as fleet(principals, grants)
}

test_excepted_paths_do_not_count if {
	grants := {"a": object.union(g("a", "pipe", "kv-pkg", "project/packaging/*", ["read-value", "sign"]), {"except": ["project/packaging/signing/*"]})}
	fx.statuses(rule.findings) == set() with input as fleet(principals, grants)
}
