package vaultproof.rules.access.least_privilege_write_test

import data.vaultproof.rules.access.least_privilege_write as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

principals := {
	"admins": fx.principal("admins", "platform-admin", ["certificate"], []),
	"alice": object.union(fx.principal("alice", "", ["password"], ["admins"]), {"type": "user"}),
	"jamf": fx.principal("jamf", "connectors/jamf", ["certificate"], []),
}

test_admin_group_and_its_members_pass if {
	grants := {
		"g1": fx.grant("g1", "admins", "*", ["read-value", "write", "manage-access"]),
		"g2": fx.grant("g2", "alice", "*", ["write"]),
	}
	fx.statuses(rule.findings) == {["g1", "pass"], ["g2", "pass"]} with input as fx.access_input({}, grants, principals)
}

test_connector_with_write_fails if {
	grants := {"g": fx.grant("g", "jamf", "project/connectors/jamf/*", ["read-value", "write"])}
	some f in rule.findings with input as fx.access_input({}, grants, principals)
	f.status == "fail"
	f.resource.type == "grant"
	f.message == "connectors/jamf principal 'jamf' holds write on 'project/connectors/jamf/*' but is not a platform admin"
}

test_read_only_grant_not_judged if {
	grants := {"g": fx.grant("g", "jamf", "*", ["list", "read-metadata", "read-value"])}
	count(rule.findings) == 0 with input as fx.access_input({}, grants, principals)
}

test_unknown_principal_is_error if {
	grants := {"g": fx.grant("g", "ghost", "*", ["delete"])}
	fx.statuses(rule.findings) == {["g", "error"]} with input as fx.access_input({}, grants, principals)
}
