package vaultproof.rules.hashicorp.acl_no_root_wildcard_test

import data.vaultproof.rules.hashicorp.acl_no_root_wildcard as wildcard
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

test_all_paths_rules if {
	fx.statuses(wildcard.findings) == {
		[pid("admin"), "fail"], [pid("connector-ansible"), "pass"], [pid("ci-writer"), "pass"], [pid("legacy-ops"), "fail"],
	} with input as inp
	some f in wildcard.findings with input as inp
	f.resource.id == pid("legacy-ops")
	f.message == "policy legacy-ops grants on every path (\"*\")"
	f.metric == {"name": "AclPolicyWildcardPaths", "value": 1, "op": "==", "threshold": 0}
}

test_azure_vaults_not_judged if {
	count(wildcard.findings) == 0 with input as fx.vault_input({})
}
