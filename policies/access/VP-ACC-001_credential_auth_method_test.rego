package vaultproof.rules.access.credential_auth_method_test

import data.vaultproof.rules.access.credential_auth_method as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

fleet(principals) := {"kind": "fleet", "now": fx.now, "vaults": {}, "replication": {}, "principals": principals}

test_control_plane_managed_identity_passes if {
	some f in rule.findings with input as fleet({"mi": fx.principal("mi", "control-plane", ["managed-identity"], [])})
	f.status == "pass"
	f.metric == {"name": "CredentialAuthMethod", "value": true, "op": "==", "threshold": true}
}

test_control_plane_client_secret_fails if {
	some f in rule.findings with input as fleet({"sp": fx.principal("sp", "control-plane", ["certificate", "client-secret"], [])})
	f.status == "fail"
	f.message == "control-plane principal 'sp' authenticates with client-secret; allowed: certificate,federated,kubernetes,managed-identity"
}

test_connector_family_applies_to_each_connector if {
	fx.statuses(rule.findings) == {["jamf", "fail"], ["intune", "pass"]} with input as fleet({
		"jamf": fx.principal("jamf", "connectors/jamf", ["client-secret"], []),
		"intune": fx.principal("intune", "connectors/intune", ["certificate", "client-secret"], []),
	})
}

test_unknown_methods_are_error if {
	fx.statuses(rule.findings) == {["a", "error"], ["b", "error"]} with input as fleet({
		"a": fx.principal("a", "control-plane", ["unknown"], []),
		"b": fx.principal("b", "control-plane", [], []),
	})
}

test_other_subsystems_are_not_judged if {
	count(rule.findings) == 0 with input as fleet({"p": fx.principal("p", "packaging", ["client-secret"], [])})
}

test_vault_approle_counts_as_a_client_secret if {
	fx.statuses(rule.findings) == {["a", "fail"], ["k", "pass"]} with input as fleet({
		"a": fx.principal("a", "connectors/ansible", ["approle"], []),
		"k": fx.principal("k", "control-plane", ["kubernetes"], []),
	})
}

# Regression (issue 15): principals with no known subsystem were skipped, so a control-plane
# service principal missing its subsystem mapping passed silently. Now error, naming it; a member
# of one group is judged by the group's subsystem, and groups themselves are not judged.
test_principal_without_subsystem_is_error_naming_it if {
	ps := {
		"orphan": object.remove(fx.principal("orphan", "", ["client-secret"], []), ["subsystem"]),
		"blank": fx.principal("blank", " ", ["certificate"], []),
		"two": object.remove(fx.principal("two", "", ["certificate"], ["g-cp", "g-pkg"]), ["subsystem"]),
		"member": object.remove(fx.principal("member", "", ["client-secret"], ["g-cp"]), ["subsystem"]),
		"g-cp": object.union(fx.principal("g-cp", "control-plane", [], []), {"type": "group"}),
		"g-pkg": object.union(fx.principal("g-pkg", "packaging", [], []), {"type": "group"}),
		"g-none": object.union(object.remove(fx.principal("g-none", "", [], []), ["subsystem"]), {"type": "vault-group"}),
	}
	fx.statuses(rule.findings) == {["orphan", "error"], ["blank", "error"], ["two", "error"], ["member", "fail"], ["g-cp", "error"]} with input as fleet(ps)
	some f in rule.findings with input as fleet(ps)
	f.resource.id == "orphan"
	f.message == "principal 'orphan' (orphan) has no subsystem (none of its own, and not exactly one through its groups): which authentication methods it may use cannot be told"
	some g in rule.findings with input as fleet(ps)
	g.resource.id == "member"
	g.message == "control-plane principal 'member' authenticates with client-secret; allowed: certificate,federated,kubernetes,managed-identity"
}
