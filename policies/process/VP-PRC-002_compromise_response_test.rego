package vaultproof.rules.process.compromise_response_test

import data.vaultproof.rules.process.compromise_response as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

vault_id := fx.azure_vault({}).id

objs := {"tok": fx.obj("tok", "secret", "project/connectors/jamf/api-token-prod", 2, {})}

process(overrides) := object.union({
	"hsm_failovers": {}, "hsm_attestations": {}, "packaging_pauses": {}, "compromises": {},
	"notifications": {}, "break_glass": {}, "outage_drills": {},
}, overrides)

detected := fx.days_ago(3)

denied := {"landscape|project/connectors/jamf/api-token-prod": {"principal": "landscape", "path": "project/connectors/jamf/api-token-prod", "count": 4, "last_seen": detected}}

audit(d) := {vault_id: {"privileged_operations": 1, "with_correlation_id": 1, "expected_privileged_operations": null, "denied_requests": count(d), "denied": d}}

answered := process({
	"break_glass": {"bg|u1": {"object": "bg", "vault": vault_id, "used_at": detected + 3600, "correlation_id": null, "incident_id": null}},
	"notifications": {"n1": {"notified_at": detected + 1800, "notified": ["cab", "security"], "incident_id": null, "vault": vault_id, "ticket": "SEC-1"}},
})

rotations := {"tok": {"v9": {"version": "v9", "time": detected + 7200, "correlation_id": "c", "actor": "rotation-pipeline"}}}

inp(d, p, r) := fx.events_input(objs, {"window": fx.window, "audit": audit(d), "process": p, "rotations": r})

only(findings) := f if {
	count(findings) == 1
	some f in findings
}

test_answered_denied_access_passes if {
	f := only(rule.findings) with input as inp(denied, answered, rotations)
	f.status == "pass"
	f.message == "1 detection(s) in the window answered by rotation, break-glass and CAB/security notification"
}

test_no_detection_passes if {
	f := only(rule.findings) with input as inp({}, process({}), {})
	f.status == "pass"
	f.message == "no access outside RBAC and no suspected compromise in the window"
}

test_unanswered_denied_access_fails if {
	f := only(rule.findings) with input as inp(denied, process({}), {})
	f.status == "fail"
	f.message == "1 of 1 detection(s) not answered within 24 hours: access outside RBAC by landscape on project/connectors/jamf/api-token-prod: no rotation of project/connectors/jamf/api-token-prod, no break-glass use, no CAB/security notification"
}

test_suspected_compromise_answered_by_incident_id if {
	p := process({
		"compromises": {"INC-1": {"detected_at": detected, "objects": {"tok": vault_id}, "source": "siem"}},
		"break_glass": {"bg|u1": {"object": "bg", "vault": "elsewhere", "used_at": detected + 60, "correlation_id": "INC-1", "incident_id": null}},
		"notifications": {"n1": {"notified_at": detected + 60, "notified": ["security"], "incident_id": "INC-1", "vault": null, "ticket": null}},
	})
	f := only(rule.findings) with input as inp({}, p, rotations)
	f.status == "pass"
	g := only(rule.findings) with input as inp({}, p, {})
	g.status == "fail"
	g.message == "1 of 1 detection(s) not answered within 24 hours: suspected compromise INC-1: no rotation of project/connectors/jamf/api-token-prod"
}

test_recent_detection_not_due_yet if {
	recent := {"x|sys/mounts": {"principal": "x", "path": "sys/mounts", "count": 1, "last_seen": fx.now - 3600}}
	f := only(rule.findings) with input as inp(recent, process({}), {})
	f.status == "pass"
	f.message == "1 detection(s) in the window answered by rotation, break-glass and CAB/security notification (1 still within the 24 hours)"
}

test_missing_evidence_is_error if {
	f := only(rule.findings) with input as fx.events_input(objs, null)
	f.status == "error"
	f.message == "no evidence on record: the response to access outside RBAC and suspected compromises cannot be checked: the snapshot carries no event facts"
	g := only(rule.findings) with input as fx.events_input(objs, {"window": fx.window, "audit": audit(denied)})
	g.status == "error"
	h := only(rule.findings) with input as fx.events_input(objs, {"window": fx.window, "audit": {}, "process": process({})})
	h.message == "no evidence on record: the response to access outside RBAC and suspected compromises cannot be checked: no audit log of this vault was read"
}

test_denied_group_lacking_its_time_is_error if {
	damaged := {"g": object.remove(denied["landscape|project/connectors/jamf/api-token-prod"], ["last_seen"])}
	f := only(rule.findings) with input as inp(damaged, process({}), {})
	f.status == "error"
}
