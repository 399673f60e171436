package vaultproof.rules.review.outside_subsystem_write_test

import data.vaultproof.rules.review.outside_subsystem_write as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

objects := {
	"jamf-token": fx.obj("jamf-token", "secret", "project/connectors/jamf/token", 1, {}),
	"cp-key": fx.obj("cp-key", "secret", "project/control-plane/key", 1, {}),
	"pk-1": fx.obj("pk-1", "secret", "project/packaging/a", 1, {}),
	"pk-2": fx.obj("pk-2", "secret", "project/packaging/b", 1, {}),
	"pk-3": fx.obj("pk-3", "secret", "project/packaging/c", 1, {}),
	"pk-4": fx.obj("pk-4", "secret", "project/packaging/d", 1, {}),
	"pk-5": fx.obj("pk-5", "secret", "project/packaging/e", 1, {}),
	"pk-6": fx.obj("pk-6", "secret", "project/packaging/f", 1, {}),
}

principals := {
	"admins": fx.principal("admins", "platform-admin", ["certificate"], []),
	"alice": object.union(fx.principal("alice", null, ["password"], ["admins"]), {"type": "user"}),
	"jamf": fx.principal("jamf", "connectors/jamf", ["certificate"], []),
	"nobody": fx.principal("nobody", null, ["certificate"], []),
	"ops": object.union(fx.principal("ops", "connectors/jamf", [], []), {"type": "vault-group"}),
	"entity": object.union(fx.principal("entity", null, [], ["ops"]), {"type": "vault-entity"}),
}

input_with(grants) := fx.access_input(objects, grants, principals)

test_write_inside_own_subsystem_passes if {
	grants := {"g": fx.grant("g", "jamf", "project/connectors/jamf/*", ["read-value", "write"])}
	some f in rule.findings with input as input_with(grants)
	f.status == "pass"
	f.metric == {"name": "OutsideSubsystemWrite", "value": 0, "op": "==", "threshold": 0}
	f.message == "connectors/jamf principal 'jamf' writes only connectors/jamf paths through 'project/connectors/jamf/*'"
}

test_write_across_subsystems_fails_naming_five_objects_and_the_rest if {
	grants := {"g": fx.grant("g", "jamf", "*", ["read-value", "delete", "write", "manage-access"])}
	some f in rule.findings with input as input_with(grants)
	f.status == "fail"
	f.resource == {"provider": "azure-keyvault", "vault": "kv-test", "type": "grant", "id": "g", "path": "*"}
	f.metric.value == 7
	f.message == "connectors/jamf principal 'jamf' can delete, write 7 object(s) of other subsystems through '*': project/control-plane/key, project/packaging/a, project/packaging/b, project/packaging/c, project/packaging/d and 2 more"
}

test_except_and_object_kinds_narrow_what_is_covered if {
	g := object.union(fx.grant("g", "jamf", "project/*", ["write"]), {"except": ["project/packaging/*"], "object_kinds": ["secret"]})
	some f in rule.findings with input as input_with({"g": g})
	f.status == "fail"
	f.message == "connectors/jamf principal 'jamf' can write 1 object(s) of other subsystems through 'project/*': project/control-plane/key"
}

test_platform_admin_and_its_members_pass if {
	grants := {
		"g1": fx.grant("g1", "admins", "*", ["write", "purge"]),
		"g2": fx.grant("g2", "alice", "*", ["delete"]),
	}
	fx.statuses(rule.findings) == {["g1", "pass"], ["g2", "pass"]} with input as input_with(grants)
	some f in rule.findings with input as input_with(grants)
	f.resource.id == "g2"
	f.message == "platform admin 'alice' may write across subsystems (delete on '*')"
}

test_grant_inherited_from_a_group_is_judged_by_the_group_subsystem if {
	g := object.union(fx.grant("g", "entity", "project/connectors/jamf/*", ["write"]), {"inherited_from": "ops", "source": "vault-policy"})
	some f in rule.findings with input as input_with({"g": g})
	f.status == "pass"
	startswith(f.message, "connectors/jamf principal 'entity' writes only")
}

test_principal_without_subsystem_is_error if {
	grants := {"g": fx.grant("g", "nobody", "*", ["write"])}
	some f in rule.findings with input as input_with(grants)
	f.status == "error"
	f.metric.value == null
	f.message == "'nobody' holds write on '*' but has no subsystem to check it against"
}

test_read_only_and_manage_only_grants_not_judged if {
	grants := {
		"g1": fx.grant("g1", "jamf", "*", ["list", "read-value"]),
		"g2": fx.grant("g2", "jamf", "*", ["manage-access"]),
	}
	count(rule.findings) == 0 with input as input_with(grants)
}

test_unknown_principal_not_judged_here if {
	grants := {"g": fx.grant("g", "ghost", "*", ["write"])}
	count(rule.findings) == 0 with input as input_with(grants)
}
