package vaultproof.rules.rotation.rotation_escalation_test

import data.vaultproof.rules.rotation.rotation_escalation as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

expiring(id, expires) := fx.obj(id, "secret", concat("/", ["project/connectors/jamf", id]), 70, {"versions": {"v1": {
	"created": fx.days_ago(70), "updated": fx.days_ago(70), "expires": expires, "not_before": null, "enabled": true,
}}})

objs := {
	"late": expiring("late", fx.days_ago(3)),
	"fresh": expiring("fresh", fx.now - 7200),
	"ok": expiring("ok", fx.now + fx.day),
}

test_recent_expiry_passes_and_overdue_without_escalation_fails if {
	fx.statuses(rule.findings) == {["fresh", "pass"], ["late", "fail"]} with input as fx.events_input(objs, {"window": fx.window, "escalations": {}})
	some f in rule.findings with input as fx.events_input({"fresh": objs.fresh}, null)
	f.message == "'project/connectors/jamf/fresh' expired 2 hours ago; escalation is due after 24 hours"
}

test_escalated_expiry_passes if {
	e := {"window": fx.window, "escalations": {"late": {"ticket": "CAB-7", "raised_at": fx.days_ago(2)}}}
	some f in rule.findings with input as fx.events_input({"late": objs.late}, e)
	f.status == "pass"
	f.message == "'project/connectors/jamf/late' expired 72 hours ago and was escalated to the CAB (CAB-7)"
}

test_escalation_before_the_expiry_does_not_count if {
	e := {"window": fx.window, "escalations": {"late": {"ticket": "CAB-1", "raised_at": fx.days_ago(30)}}}
	some f in rule.findings with input as fx.events_input({"late": objs.late}, e)
	f.status == "fail"
	f.message == "'project/connectors/jamf/late' expired 72 hours ago and no CAB escalation is on record"
}

test_missing_escalations_is_error if {
	fx.statuses(rule.findings) == {["late", "error"], ["fresh", "pass"]} with input as fx.events_input(objs, null)
}

test_replica_vaults_not_judged if {
	inp := object.union(fx.events_input(objs, null), {"vault": {"role": "secondary"}})
	count(rule.findings) == 0 with input as inp
}
