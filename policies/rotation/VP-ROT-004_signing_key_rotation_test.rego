package vaultproof.rules.rotation.signing_key_rotation_test

import data.vaultproof.rules.rotation.signing_key_rotation as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

records(rotations) := {
	"window": {"from": fx.days_ago(31), "to": fx.now},
	"sources": [{"id": "records", "kind": "rotation-records", "status": "complete", "sections": ["rotations"]}],
	"rotations": rotations,
}

test_recently_rotated_signing_key_passes if {
	objs := {"k": fx.obj("k", "key", "project/packaging/signing/authenticode", 20, {})}
	some f in rule.findings with input as object.union(fx.vault_input(objs), {"events": records({})})
	f.status == "pass"
	f.metric == {"name": "SigningKeyRotationComplete", "value": true, "op": "==", "threshold": true}
}

test_stale_signing_key_fails if {
	objs := {"k": fx.obj("k", "key", "gpg", 100, {"tags": {"purpose": "signing"}})}
	some f in rule.findings with input as fx.vault_input(objs)
	f.status == "fail"
	f.metric.value == false
}

# A signing key rotated 10 days ago (v1 -> v2), with the event facts given.
rotated_key := fx.obj("k", "key", "project/packaging/signing/authenticode", 10, {"current_version": "v2", "versions": {
	"v1": {"created": fx.days_ago(100), "updated": fx.days_ago(100), "expires": null, "not_before": null, "enabled": true},
	"v2": {"created": fx.days_ago(10), "updated": fx.days_ago(10), "expires": null, "not_before": null, "enabled": true},
}})

with_events(rotations) := object.union(fx.vault_input({"k": rotated_key}), {"events": {
	"window": {"from": fx.days_ago(31), "to": fx.now},
	"sources": [{"id": "records", "kind": "rotation-records", "status": "complete", "sections": ["rotations"]}],
	"rotations": rotations,
}})

test_recorded_rotation_is_complete if {
	some f in rule.findings with input as with_events({"k": {"v2": {"time": fx.days_ago(10), "correlation_id": "chg-1", "actor": "rotation-job"}}})
	f.status == "pass"
	endswith(f.message, "the rotation to the current version is recorded with a correlation id")
}

test_unrecorded_rotation_is_not_complete if {
	some f in rule.findings with input as with_events({})
	f.status == "fail"
	f.metric.value == false
	endswith(f.message, "has no rotation record with a correlation id")
}

# Issue 15: within its interval but without rotation records, completion is not evidenced: error.
test_without_records_is_error if {
	some f in rule.findings with input as fx.vault_input({"k": rotated_key})
	f.status == "error"
	f.metric.value == null
	endswith(f.message, "no rotation record to evidence the rotation (the snapshot carries no usable rotation records)")
}

test_without_records_overdue_still_fails if {
	objs := {"k": fx.obj("k", "key", "gpg", 100, {"tags": {"purpose": "signing"}})}
	some f in rule.findings with input as fx.vault_input(objs)
	f.status == "fail"
}

test_incomplete_record_source_is_error if {
	inp := json.patch(with_events({"k": {"v2": {"time": fx.days_ago(10), "correlation_id": "chg-1", "actor": "rotation-job"}}}), [{"op": "replace", "path": "/events/sources/0/status", "value": "incomplete"}])
	some f in rule.findings with input as inp
	f.status == "error"
}

test_no_rotation_in_window_needs_no_record if {
	inp := json.patch(with_events({}), [{"op": "remove", "path": "/vault/objects/k/versions/v1"}])
	some f in rule.findings with input as inp
	f.status == "pass"
	endswith(f.message, "no rotation in the event window to evidence")
}
