package vaultproof.rules.credentials.secret_scope_test

import data.vaultproof.rules.credentials.secret_scope as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

test_known_subsystem_paths_pass if {
	objs := {
		"a": fx.obj("a", "secret", "project/control-plane/db", 1, {}),
		"b": fx.obj("b", "secret", "secret/project/connectors/jamf/token", 1, {}),
		"c": fx.obj("c", "secret", "flat", 1, {"tags": {"subsystem": "cab"}}),
	}
	fx.statuses(rule.findings) == {["a", "pass"], ["b", "pass"], ["c", "pass"]} with input as fx.vault_input(objs)
}

test_unscoped_secret_in_shared_vault_fails if {
	inp := {"kind": "vault", "now": fx.now, "vault": fx.azure_vault({"subsystem": "shared", "objects": {"a": fx.obj("a", "secret", "team-notes/wifi", 1, {})}})}
	some f in rule.findings with input as inp
	f.status == "fail"
	f.metric == {"name": "SecretScope", "value": false, "op": "==", "threshold": true}
	f.message == "'team-notes/wifi' belongs to subsystem 'shared', which is not one of control-plane, packaging, cab, connectors/*"
}

test_vault_without_subsystem_fails if {
	some f in rule.findings with input as fx.vault_input({"a": fx.obj("a", "secret", "x", 1, {})})
	f.status == "fail"
	f.message == "'x' belongs to no subsystem (no subsystem tag, no project/<subsystem>/ path, no dedicated vault)"
}

test_dedicated_vault_gives_the_subsystem if {
	inp := {"kind": "vault", "now": fx.now, "vault": fx.azure_vault({"subsystem": "packaging", "objects": {"a": fx.obj("a", "secret", "feed", 1, {})}})}
	fx.statuses(rule.findings) == {["a", "pass"]} with input as inp
}

# Regression (issue 15): secrets under a mount of two segments (`team/kv/`) failed: the
# `project/<subsystem>/` layout was looked for after one mount segment only.
test_secret_under_a_two_segment_mount_passes if {
	ms := {
		"team/kv/": {"path": "team/kv/", "type": "kv", "kv_version": 2},
		"secret/": {"path": "secret/", "type": "kv", "kv_version": 2},
	}
	objs := {
		"a": fx.obj("a", "secret", "team/kv/project/cab/approval-key", 1, {}),
		"b": fx.obj("b", "secret", "team/kv/project/connectors/jamf/token", 1, {}),
		"c": fx.obj("c", "secret", "team/kv/project/marketing/x", 1, {}),
		"d": fx.obj("d", "secret", "team/kv/misc/x", 1, {}),
		"e": fx.obj("e", "secret", "secret/project/packaging/feed", 1, {}),
	}
	i := fx.hashi_input({"objects": objs, "hashicorp": object.union(fx.hashi_vault({}).hashicorp, {"mounts": ms})})
	fx.statuses(rule.findings) == {["a", "pass"], ["b", "pass"], ["c", "fail"], ["d", "fail"], ["e", "pass"]} with input as i
	some f in rule.findings with input as i
	f.resource.id == "b"
	f.message == "'team/kv/project/connectors/jamf/token' belongs to subsystem connectors/jamf"
}

# Regression (issue 15): the standard's own `EmergencyAccess` path (§3) failed SecretScope.
test_standard_emergency_access_path_passes if {
	objs := {
		"a": fx.obj("a", "secret", "EmergencyAccess", 1, {}),
		"b": fx.obj("b", "secret", "project/EmergencyAccess/db-password", 1, {}),
		"c": fx.obj("c", "secret", "secret/project/cab/break-glass/root", 1, {}),
	}
	fx.statuses(rule.findings) == {["a", "pass"], ["b", "pass"], ["c", "pass"]} with input as fx.vault_input(objs)
	some f in rule.findings with input as fx.vault_input(objs)
	f.resource.id == "b"
	f.message == "'project/EmergencyAccess/db-password' is on the standard's break-glass (EmergencyAccess) path"
}
