package vaultproof.rules.review.principal_active_in_window_test

import data.vaultproof.rules.review.principal_active_in_window as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

vaults := {
	"v1": {"id": "v1", "provider": "azure-keyvault", "name": "kv-one"},
	"v2": {"id": "v2", "provider": "azure-keyvault", "name": "kv-two"},
}

principals := {
	"app": fx.principal("app", "jamf", ["certificate"], []),
	"user": object.union(fx.principal("user", null, ["password"], ["team"]), {"type": "user"}),
	"team": object.union(fx.principal("team", null, [], ["org"]), {"type": "group"}),
	"org": object.union(fx.principal("org", null, [], []), {"type": "group"}),
	"idle": fx.principal("idle", "jamf", ["certificate"], []),
}

grants := {
	"g1": object.union(fx.grant("g1", "app", "*", ["read-value"]), {"vault": "v1"}),
	"g2": object.union(fx.grant("g2", "org", "*", ["read-value"]), {"vault": "v2"}),
	"g3": object.union(fx.grant("g3", "ghost", "*", ["read-value"]), {"vault": "v1"}),
}

events(extra) := object.union(
	{
		"window": fx.window, "sources": [{"id": "vault-audit", "status": "complete", "sections": ["audit"]}],
		"audit": {"v1": {}, "v2": {}},
		"principal_activity": {"app": {"last_seen": fx.days_ago(3), "operations": 12}, "user": {"last_seen": fx.days_ago(40), "operations": 2}},
	},
	extra,
)

fleet(ev) := {"kind": "fleet", "now": fx.now, "vaults": vaults, "principals": principals, "grants": grants, "events": ev}

test_active_principal_passes if {
	some f in rule.findings with input as fleet(events({}))
	f.resource == {"provider": "azure-keyvault", "vault": "", "type": "principal", "id": "app", "path": "app"}
	f.status == "pass"
	f.metric == {"name": "PrincipalActiveInWindow", "value": true, "op": "==", "threshold": true}
	f.message == "'app' made 12 request(s) in the 31-day window, last 2026-11-26"
}

test_dormant_member_of_a_nested_group_fails_and_groups_are_not_judged if {
	fx.statuses(rule.findings) == {["app", "pass"], ["user", "fail"]} with input as fleet(events({}))
	some f in rule.findings with input as fleet(events({}))
	f.resource.id == "user"
	f.metric.value == false
	f.message == "'user' holds access but made no request in the 31-day window (last seen 2026-10-20)"
}

test_never_seen_principal_fails_without_last_seen if {
	ev := json.patch(events({}), [{"op": "remove", "path": "/principal_activity/user"}])
	some f in rule.findings with input as fleet(ev)
	f.resource.id == "user"
	f.message == "'user' holds access but made no request in the 31-day window"
}

test_unread_audit_log_is_error if {
	ev := json.patch(events({}), [{"op": "replace", "path": "/audit", "value": {"v1": {}}}])
	some f in rule.findings with input as fleet(ev)
	f.resource.id == "user"
	f.status == "error"
	f.metric.value == null
	f.message == "'user' made no request seen in the 31-day window, but its activity cannot be judged: the audit log of kv-two was not read"
}

test_incomplete_audit_source_is_error if {
	ev := events({"sources": [{"id": "vault-audit", "status": "incomplete", "sections": ["audit"]}]})
	some f in rule.findings with input as fleet(ev)
	f.resource.id == "user"
	f.message == "'user' made no request seen in the 31-day window, but its activity cannot be judged: audit source(s) vault-audit could not be read completely"
}

test_no_principal_activity_is_error if {
	ev := json.remove(events({}), ["principal_activity"])
	fx.statuses(rule.findings) == {["app", "error"], ["user", "error"]} with input as fleet(ev)
	some f in rule.findings with input as fleet(ev)
	f.message == "activity of 'app' cannot be checked: the event facts carry no principal_activity section"
}

test_no_event_facts_is_error if {
	some f in rule.findings with input as fleet(null)
	f.resource.id == "app"
	f.status == "error"
	f.message == "activity of 'app' cannot be checked: the snapshot carries no event facts"
}

test_vault_shard_not_judged if {
	count(rule.findings) == 0 with input as fx.access_input({}, grants, principals)
}
