package vaultproof.rules.hashicorp.acl_sudo_admin_only_test

import data.vaultproof.rules.hashicorp.acl_sudo_admin_only as sudo
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

test_sudo_only_in_admin_policies if {
	fx.statuses(sudo.findings) == {
		[pid("connector-ansible"), "pass"], [pid("ci-writer"), "fail"], [pid("legacy-ops"), "pass"],
	} with input as inp
	some f in sudo.findings with input as inp
	f.resource.id == pid("ci-writer")
	f.message == "non-admin policy ci-writer has sudo on sys/mounts/*"
}

# Regression (issue 17): the documented scanning policy needs sudo to read sys/audit and to list
# auth/token/accessors (root-protected even for reading); that read-only sudo is not access management,
# while sudo with a write, or on a glob over those paths, still fails.
test_read_only_sudo_of_the_scanning_policy_passes if {
	scanner := {"name": "vaultproof-scanner", "rules": [
		rule("sys/audit", ["read", "sudo"]),
		rule("sys/config/auditing/request-headers", ["read", "sudo"]),
		rule("auth/token/accessors", ["list", "sudo"]),
		rule("sys/mounts", ["read"]),
	]}
	writer := {"name": "audit-writer", "rules": [rule("sys/audit", ["read", "update", "sudo"])]}
	globbed := {"name": "audit-glob", "rules": [rule("sys/audit*", ["read", "sudo"])]}
	header_writer := {"name": "header-writer", "rules": [rule("sys/config/auditing/request-headers", ["read", "update", "sudo"])]}
	ps := {"vaultproof-scanner": scanner, "audit-writer": writer, "audit-glob": globbed, "header-writer": header_writer}
	i := fx.hashi_input({"hashicorp": object.union(fx.hashi_vault({}).hashicorp, {"policies": ps, "mounts": mounts})})
	fx.statuses(sudo.findings) == {[pid("vaultproof-scanner"), "pass"], [pid("audit-writer"), "fail"], [pid("audit-glob"), "fail"], [pid("header-writer"), "fail"]} with input as i
	some f in sudo.findings with input as i
	f.resource.id == pid("vaultproof-scanner")
	f.message == "policy vaultproof-scanner has sudo only to read root-protected metadata (auth/token/accessors, sys/audit, sys/config/auditing/request-headers)"
	f.metric.value == 0
}

test_azure_vaults_not_judged if {
	count(sudo.findings) == 0 with input as fx.vault_input({})
}
