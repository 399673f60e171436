package vaultproof.rules.hashicorp.acl_policies_test

import data.vaultproof.rules.hashicorp.acl_no_root_wildcard as wildcard
import data.vaultproof.rules.hashicorp.acl_no_wildcard_write as wwrite
import data.vaultproof.rules.hashicorp.acl_sudo_admin_only as sudo
import data.vaultproof.rules.hashicorp.no_live_root_tokens as roots
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
		rule("auth/token/accessors", ["list", "sudo"]),
		rule("sys/mounts", ["read"]),
	]}
	writer := {"name": "audit-writer", "rules": [rule("sys/audit", ["read", "update", "sudo"])]}
	globbed := {"name": "audit-glob", "rules": [rule("sys/audit*", ["read", "sudo"])]}
	ps := {"vaultproof-scanner": scanner, "audit-writer": writer, "audit-glob": globbed}
	i := fx.hashi_input({"hashicorp": object.union(fx.hashi_vault({}).hashicorp, {"policies": ps, "mounts": mounts})})
	fx.statuses(sudo.findings) == {[pid("vaultproof-scanner"), "pass"], [pid("audit-writer"), "fail"], [pid("audit-glob"), "fail"]} with input as i
	some f in sudo.findings with input as i
	f.resource.id == pid("vaultproof-scanner")
	f.message == "policy vaultproof-scanner has sudo only to read root-protected metadata (auth/token/accessors, sys/audit)"
	f.metric.value == 0
}

test_wildcard_writes_on_kv if {
	fx.statuses(wwrite.findings) == {
		[pid("connector-ansible"), "pass"], [pid("ci-writer"), "fail"], [pid("legacy-ops"), "pass"],
	} with input as inp
	some f in wwrite.findings with input as inp
	f.resource.id == pid("ci-writer")
	f.message == "non-admin policy ci-writer writes through wildcard secret paths: secret/data/project/+/ci/*"
}

test_root_tokens if {
	some f in roots.findings with input as fx.hashi_input({})
	f.status == "pass"
	f.message == "no live root token"
	hc := object.union(fx.hashi_vault({}).hashicorp, {"root_tokens": [
		{"accessor_hash": "hmac-a", "created": fx.days_ago(1), "expires": null},
		{"accessor_hash": "hmac-b", "created": fx.days_ago(1), "expires": fx.days_ago(0) - 10},
	]})
	some g in roots.findings with input as fx.hashi_input({"hashicorp": hc})
	g.status == "fail"
	g.message == "1 live root token(s): hmac-a"
	hn := object.union(fx.hashi_vault({}).hashicorp, {"root_tokens": null})
	fx.statuses(roots.findings) == {["hashicorp-vault:hv", "error"]} with input as fx.hashi_input({"hashicorp": hn})
}

test_azure_vaults_not_judged if {
	((count(wildcard.findings) + count(sudo.findings)) + count(wwrite.findings)) + count(roots.findings) == 0 with input as fx.vault_input({})
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
