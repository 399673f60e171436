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
