package vaultproof.rules.hashicorp.acl_no_wildcard_write_test

import data.vaultproof.rules.hashicorp.acl_no_wildcard_write as wwrite
import data.vaultproof.test.fixtures as fx
import rego.v1

rule(path, caps) := {"path": path, "capabilities": caps}

policies := {
	"admin": {"name": "admin", "rules": [rule("*", ["create", "read", "update", "delete", "list", "sudo"])]},
	"connector-ansible": {"name": "connector-ansible", "rules": [rule("secret/data/project/connectors/ansible/*", ["read", "list"])]},
	"ci-writer": {"name": "ci-writer", "rules": [
		rule("secret/data/project/+/ci/*", ["create", "update"]),
		rule("sys/mounts/*", ["sudo", "read"]),
		rule("transit/sign/*", ["update"]),
	]},
	"legacy-ops": {"name": "legacy-ops", "rules": [rule("*", ["read", "list"]), rule("+/*", ["deny"])]},
	"root": {"name": "root", "rules": []},
}

mounts := {
	"secret/": {"path": "secret/", "type": "kv", "kv_version": 2},
	"transit/": {"path": "transit/", "type": "transit", "kv_version": null},
}

inp := fx.hashi_input({"hashicorp": object.union(fx.hashi_vault({}).hashicorp, {"policies": policies, "mounts": mounts})})

pid(name) := concat(":", ["hashicorp-vault:hv:policy", name])

test_wildcard_writes_on_kv if {
	fx.statuses(wwrite.findings) == {
		[pid("connector-ansible"), "pass"], [pid("ci-writer"), "fail"], [pid("legacy-ops"), "pass"],
	} with input as inp
	some f in wwrite.findings with input as inp
	f.resource.id == pid("ci-writer")
	f.message == "non-admin policy ci-writer writes through wildcard secret paths: secret/data/project/+/ci/*"
}

test_azure_vaults_not_judged if {
	count(wwrite.findings) == 0 with input as fx.vault_input({})
}

# Regression (issue 15): the KV mount of a rule was looked up by its first path segment only, so a
# wildcard write on a multi-segment mount (`team/kv/data/*`) was missed. The mount is the longest
# mount path holding the rule's literal head; a wildcard reaching into a KV mount counts too.
test_wildcard_writes_on_multi_segment_kv_mount if {
	pols := {
		"team-writer": {"name": "team-writer", "rules": [rule("team/kv/data/*", ["create", "update"])]},
		"team-wide": {"name": "team-wide", "rules": [rule("team/*", ["update"])]},
		"team-plus": {"name": "team-plus", "rules": [rule("team/+/data/app", ["update"])]},
		"team-transit": {"name": "team-transit", "rules": [rule("team/transit/sign/*", ["update"])]},
		"v1-writer": {"name": "v1-writer", "rules": [rule("legacy/app/*", ["update"])]},
	}
	ms := {
		"team/kv/": {"path": "team/kv/", "type": "kv", "kv_version": 2},
		"team/transit/": {"path": "team/transit/", "type": "transit", "kv_version": null},
		"legacy/": {"path": "legacy/", "type": "generic", "kv_version": 1},
	}
	i := fx.hashi_input({"hashicorp": object.union(fx.hashi_vault({}).hashicorp, {"policies": pols, "mounts": ms})})
	fx.statuses(wwrite.findings) == {
		[pid("team-writer"), "fail"], [pid("team-wide"), "fail"], [pid("team-plus"), "fail"],
		[pid("team-transit"), "pass"], [pid("v1-writer"), "fail"],
	} with input as i
	some f in wwrite.findings with input as i
	f.resource.id == pid("team-writer")
	f.message == "non-admin policy team-writer writes through wildcard secret paths: team/kv/data/*"
}
