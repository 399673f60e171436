package vaultproof.rules.access.path_scoped_access_test

import data.vaultproof.rules.access.path_scoped_access as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

objects := {
	"cp": fx.obj("cp", "secret", "project/control-plane/db", 1, {}),
	"j1": fx.obj("j1", "secret", "project/connectors/jamf/token", 1, {}),
	"i1": fx.obj("i1", "certificate", "project/connectors/intune/cert", 1, {}),
	"p1": fx.obj("p1", "secret", "project/packaging/feed", 1, {}),
}

principals := {
	"admins": fx.principal("admins", "platform-admin", ["certificate"], []),
	"jamf": fx.principal("jamf", "connectors/jamf", ["certificate"], []),
	"orch": fx.principal("orch", "control-plane", ["managed-identity"], []),
	"anon": object.remove(fx.principal("anon", "", ["certificate"], []), ["subsystem"]),
}

test_connector_on_its_own_path_passes if {
	grants := {"g": fx.grant("g", "jamf", "project/connectors/jamf/*", ["read-value"])}
	some f in rule.findings with input as fx.access_input(objects, grants, principals)
	f.status == "pass"
	f.metric == {"name": "PathScopedAccess", "value": 0, "op": "==", "threshold": 0}
}

test_vault_wide_connector_grant_fails if {
	grants := {"g": fx.grant("g", "jamf", "*", ["read-value"])}
	some f in rule.findings with input as fx.access_input(objects, grants, principals)
	f.status == "fail"
	f.metric.value == 2
	f.message == "connectors/jamf principal 'jamf' reaches 2 object(s) of other subsystems through '*': project/connectors/intune/cert, project/control-plane/db"
}

test_admins_and_control_plane_pass if {
	grants := {
		"a": fx.grant("a", "admins", "*", ["write"]),
		"o": fx.grant("o", "orch", "project/control-plane/*", ["read-value"]),
	}
	fx.statuses(rule.findings) == {["a", "pass"], ["o", "pass"]} with input as fx.access_input(objects, grants, principals)
}

test_principal_without_subsystem_reaching_scoped_objects_is_error if {
	grants := {
		"a": fx.grant("a", "anon", "project/control-plane/*", ["read-value"]),
		"b": fx.grant("b", "anon", "project/packaging/*", ["read-value"]),
		"c": fx.grant("c", "ghost", "*", ["read-value"]),
	}
	fx.statuses(rule.findings) == {["a", "error"], ["b", "pass"], ["c", "error"]} with input as fx.access_input(objects, grants, principals)
}

test_metadata_grants_not_judged if {
	grants := {"g": fx.grant("g", "jamf", "*", ["list", "read-metadata"])}
	count(rule.findings) == 0 with input as fx.access_input(objects, grants, principals)
}

test_long_lists_are_truncated if {
	many := {sprintf("o%d", [i]): fx.obj(sprintf("o%d", [i]), "secret", sprintf("project/control-plane/s%d", [i]), 1, {}) | some i in numbers.range(1, 7)}
	grants := {"g": fx.grant("g", "jamf", "*", ["read-value"])}
	some f in rule.findings with input as fx.access_input(many, grants, principals)
	endswith(f.message, " and 2 more")
}
