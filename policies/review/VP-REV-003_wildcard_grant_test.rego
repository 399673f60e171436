package vaultproof.rules.review.wildcard_grant_test

import data.vaultproof.lib.access
import data.vaultproof.rules.review.wildcard_grant as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

objects := {
	"a": fx.obj("a", "secret", "secret/project/jamf/a", 1, {}),
	"b": fx.obj("b", "secret", "secret/project/packaging/b", 1, {}),
}

principals := {
	"admins": fx.principal("admins", "platform-admin", ["certificate"], []),
	"alice": object.union(fx.principal("alice", null, ["password"], ["admins"]), {"type": "user"}),
	"jamf": fx.principal("jamf", "jamf", ["certificate"], []),
}

input_with(grants) := fx.access_input(objects, grants, principals)

test_scoped_grant_passes if {
	grants := {"g": fx.grant("g", "jamf", "secret/project/jamf/*", ["read-value"])}
	some f in rule.findings with input as input_with(grants)
	f.status == "pass"
	f.metric == {"name": "WildcardGrant", "value": false, "op": "==", "threshold": false}
	f.message == "'jamf' reaches data through the scoped path 'secret/project/jamf/*'"
}

test_wildcards_at_or_above_the_subsystem_fail if {
	grants := {
		"g1": fx.grant("g1", "jamf", "*", ["sign"]),
		"g2": fx.grant("g2", "jamf", "secret/*", ["decrypt"]),
		"g3": fx.grant("g3", "jamf", "secret/project/*", ["read-value"]),
		"g4": fx.grant("g4", "jamf", "secret/project/+/a", ["read-value"]),
	}
	fx.statuses(rule.findings) == {["g1", "fail"], ["g2", "fail"], ["g3", "fail"], ["g4", "fail"]} with input as input_with(grants)
	some f in rule.findings with input as input_with(grants)
	f.resource.id == "g2"
	f.metric.value == true
	f.message == "'jamf' reaches 2 object(s) through the wildcard grant 'secret/*'"
}

test_access_policy_is_vault_wide if {
	grants := {"g": object.union(fx.grant("g", "jamf", "*", ["read-value"]), {"source": "access-policy"})}
	some f in rule.findings with input as input_with(grants)
	f.status == "fail"
	f.message == "'jamf' reaches 2 object(s) through the wildcard grant '*' (an access policy always covers the whole vault)"
}

test_platform_admin_wildcard_passes if {
	grants := {"g": fx.grant("g", "alice", "*", ["read-value", "write"])}
	some f in rule.findings with input as input_with(grants)
	f.status == "pass"
	f.message == "platform admin 'alice' holds the wildcard grant '*' by design"
}

test_metadata_only_and_unknown_principal_not_judged if {
	grants := {
		"g1": fx.grant("g1", "jamf", "*", ["list", "read-metadata", "manage-access"]),
		"g2": fx.grant("g2", "ghost", "*", ["read-value"]),
	}
	count(rule.findings) == 0 with input as input_with(grants)
}

test_wildcard_scope_levels if {
	every scope in ["*", "secret/*", "secret/project/*", "+/project/*", "project/+/x", "project/connectors/*/x"] {
		access.wildcard_scope(scope)
	}
	every scope in ["project/control-plane/*", "secret/project/connectors/ansible/*", "secret/team-notes/x"] {
		not access.wildcard_scope(scope)
	}
}
