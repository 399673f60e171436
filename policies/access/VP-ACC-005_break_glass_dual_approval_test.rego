package vaultproof.rules.access.break_glass_dual_approval_test

import data.vaultproof.rules.access.break_glass_dual_approval as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

bg := fx.obj("bg", "secret", "project/cab/EmergencyAccess", 2, {})

objects := {"bg": bg, "x": fx.obj("x", "secret", "project/cab/other", 2, {})}

use(id, at, approvals, rotated_at) := {
	"id": id, "used_at": at, "actor": "oncall", "correlation_id": "chg-1",
	"approvals": [{"approver": a, "approved_at": t} | some [a, t] in approvals], "rotated_at": rotated_at,
}

ev(uses) := {"window": fx.window, "break_glass": {"bg": uses}}

test_no_use_passes if {
	some f in rule.findings with input as fx.events_input(objects, ev({}))
	f.status == "pass"
	f.message == "no use of break-glass credential 'project/cab/EmergencyAccess' in the window"
}

test_dual_approved_and_rotated_use_passes if {
	at := fx.days_ago(5)
	u := use("u1", at, [["alice", at - 600], ["bob", at - 300]], at + 3600)
	some f in rule.findings with input as fx.events_input(objects, ev({"u1": u}))
	f.status == "pass"
	f.metric == {"name": "BreakGlassDualApproval", "value": true, "op": "==", "threshold": true}
}

test_single_or_late_approval_fails if {
	at := fx.days_ago(5)
	u := use("u1", at, [["alice", at - 600], ["alice", at - 500], ["bob", at + 60], ["oncall", at - 60]], at + 3600)
	some f in rule.findings with input as fx.events_input(objects, ev({"u1": u}))
	f.status == "fail"
	f.message == "1 use(s) of 'project/cab/EmergencyAccess': 1 without dual approval before use, 0 not rotated after use (u1)"
}

test_use_without_rotation_fails_but_newer_version_counts if {
	at := fx.days_ago(5)
	ok := [["alice", at - 600], ["bob", at - 300]]
	fx.statuses(rule.findings) == {["bg", "fail"]} with input as fx.events_input(objects, ev({"u1": use("u1", at, ok, null)}))
	rotated := object.union(bg, {"versions": {"v9": {"created": at + 7200, "updated": at + 7200, "expires": null, "not_before": null, "enabled": true}}})
	fx.statuses(rule.findings) == {["bg", "pass"]} with input as fx.events_input({"bg": rotated}, ev({"u1": use("u1", at, ok, null)}))
}

test_recent_use_not_yet_due_for_rotation if {
	at := fx.now - 3600
	u := use("u1", at, [["alice", at - 600], ["bob", at - 300]], null)
	fx.statuses(rule.findings) == {["bg", "pass"]} with input as fx.events_input(objects, ev({"u1": u}))
}

test_uses_outside_the_window_are_ignored if {
	u := use("u1", fx.days_ago(90), [], null)
	fx.statuses(rule.findings) == {["bg", "pass"]} with input as fx.events_input(objects, ev({"u1": u}))
}

test_missing_events_is_error if {
	some f in rule.findings with input as fx.events_input(objects, null)
	f.status == "error"
	f.message == "break-glass use of 'project/cab/EmergencyAccess' cannot be checked: the snapshot carries no event facts"
}

test_incomplete_source_is_error if {
	e := object.union(ev({}), {"sources": [{"id": "approvals-api", "kind": "approval-records", "status": "incomplete", "reason": "timeout", "sections": ["break_glass"]}]})
	some f in rule.findings with input as fx.events_input(objects, e)
	f.status == "error"
	f.message == "break-glass use of 'project/cab/EmergencyAccess' cannot be checked: event source(s) approvals-api could not be read completely"
}

test_missing_section_is_error if {
	some f in rule.findings with input as fx.events_input(objects, {"window": fx.window})
	f.message == "break-glass use of 'project/cab/EmergencyAccess' cannot be checked: the event facts carry no break_glass section"
}

# Regression (issue 15): objects inside an `EmergencyAccess/` folder got no finding at all (the
# default patterns match the folder, not what is in it).
test_objects_in_an_emergency_access_folder_are_break_glass if {
	objs := {
		"db": fx.obj("db", "secret", "project/EmergencyAccess/db-password", 2, {}),
		"top": fx.obj("top", "secret", "EmergencyAccess/root-token", 2, {}),
		"deep": fx.obj("deep", "secret", "secret/project/cab/EmergencyAccess/vault/unseal", 2, {}),
		"x": fx.obj("x", "secret", "project/cab/other", 2, {}),
	}
	fx.statuses(rule.findings) == {["db", "pass"], ["top", "pass"], ["deep", "pass"]} with input as fx.events_input(objs, {"window": fx.window, "break_glass": {}})
	fx.statuses(rule.findings) == {["db", "error"], ["top", "error"], ["deep", "error"]} with input as fx.events_input(objs, null)
}

# Regression (issue 15): approver identities were compared case-sensitively, so `alice` and
# `Alice` counted as two approvers and the user could approve their own use by case.
test_approvers_are_compared_normalised if {
	at := fx.days_ago(5)
	same := use("u1", at, [["alice", at - 600], ["Alice ", at - 300]], at + 3600)
	some f in rule.findings with input as fx.events_input(objects, ev({"u1": same}))
	f.status == "fail"
	f.message == "1 use(s) of 'project/cab/EmergencyAccess': 1 without dual approval before use, 0 not rotated after use (u1)"
	own := object.union(use("u2", at, [["alice", at - 600], [" OnCall", at - 300]], at + 3600), {"actor": "oncall"})
	fx.statuses(rule.findings) == {["bg", "fail"]} with input as fx.events_input(objects, ev({"u2": own}))
	ok := use("u3", at, [["alice", at - 600], ["BOB", at - 300]], at + 3600)
	fx.statuses(rule.findings) == {["bg", "pass"]} with input as fx.events_input(objects, ev({"u3": ok}))
}

test_use_naming_no_user_is_error_unless_it_fails if {
	at := fx.days_ago(5)
	anon := object.union(use("u1", at, [["alice", at - 600], ["bob", at - 300]], at + 3600), {"actor": null})
	some f in rule.findings with input as fx.events_input(objects, ev({"u1": anon}))
	f.status == "error"
	f.metric.value == null
	f.message == "1 use(s) of 'project/cab/EmergencyAccess': use(s) u1 name no user, so the approvers cannot be shown to be others than the user"
	lone := object.union(use("u2", at, [["alice", at - 600]], at + 3600), {"actor": " "})
	fx.statuses(rule.findings) == {["bg", "fail"]} with input as fx.events_input(objects, ev({"u2": lone}))
	undated := use("u3", at, [["alice", null], ["bob", at - 300]], at + 3600)
	fx.statuses(rule.findings) == {["bg", "fail"]} with input as fx.events_input(objects, ev({"u3": undated}))
}
