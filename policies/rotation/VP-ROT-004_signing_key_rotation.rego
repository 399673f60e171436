# METADATA
# title: HSM signing keys are rotated within 90 days
# description: |
#   Code-signing keys (Authenticode, Developer ID, APT GPG) must be rotated by their owner at least
#   every 90 days; the evidence pack records SigningKeyRotationComplete for each. Complete means the
#   current version is within the interval and, where the snapshot carries usable rotation records,
#   a current version created in the event window by a rotation has its rotation record with a
#   correlation id (an unevidenced rotation is not complete). Without usable rotation records a key
#   within its interval is error (no rotation record to evidence completion: age alone is not
#   evidence); an overdue key fails either way.
# custom:
#   id: VP-ROT-004
#   severity: high
#   control: secrets-management §4
#   requirements: [SM-4-e, SM-4-f]
#   metric: SigningKeyRotationComplete
#   settings:
#     - thresholds.rotation_days.signing-key
#     - thresholds.event_window_days
#   remediation: |
#     Rotate the signing key (new key version in the HSM-backed vault), publish the new public key
#     and record the rotation with the key owner's approval.
#   references:
#     - "secrets-management §4: SigningKeyRotationComplete = True"
package vaultproof.rules.rotation.signing_key_rotation

import data.vaultproof.lib
import data.vaultproof.lib.events
import data.vaultproof.lib.rotation
import rego.v1

findings[f.resource.id] := f if {
	some fact in rotation.aged_objects("signing-key")
	evidence := rotation_evidence(fact.object)
	done := complete(fact.status, evidence)
	status := judge(done, fact.status, evidence)
	f := lib.finding(
		status,
		lib.object_resource(fact.vault, fact.object),
		lib.metric("SigningKeyRotationComplete", metric_value(status, done), "==", true),
		concat("; ", [rotation.age_message("signing-key", fact), evidence_message[evidence]]),
	)
}

complete("pass", evidence) := true if not incomplete_evidence[evidence]

incomplete_evidence := {"unrecorded", "no-records"}

# Within the interval but without rotation records: completion cannot be judged.
judge(_, "pass", "no-records") := "error"

judge(done, age_status, evidence) := lib.status_bool(done) if {
	[age_status, evidence] != ["pass", "no-records"]
	age_status != "error"
}

judge(_, "error", _) := "error"

metric_value("error", _) := null

metric_value(status, done) := done if status != "error"

complete(age_status, _) := false if age_status != "pass"

complete(_, "unrecorded") := false

complete(_, "no-records") := false

# How the rotation to the current version is evidenced.
rotation_evidence(o) := "recorded" if {
	records := events.section("rotations")
	is_string(records[o.id][o.current_version].correlation_id)
	records[o.id][o.current_version].correlation_id != ""
}

rotation_evidence(o) := "unrecorded" if {
	records := events.section("rotations")
	rotated_in_window(o)
	not recorded(records, o)
}

rotation_evidence(o) := "not-in-window" if {
	records := events.section("rotations")
	not rotated_in_window(o)
	not recorded(records, o)
}

rotation_evidence(_) := "no-records" if not events.section("rotations")

recorded(records, o) if {
	is_string(records[o.id][o.current_version].correlation_id)
	records[o.id][o.current_version].correlation_id != ""
}

# The current version replaced an earlier one inside the event window.
rotated_in_window(o) if {
	current := o.versions[o.current_version].created
	some v in o.versions
	v.created < current
	events.in_window(current)
}

evidence_message := {
	"recorded": "the rotation to the current version is recorded with a correlation id",
	"unrecorded": "the rotation to the current version has no rotation record with a correlation id",
	"not-in-window": "no rotation in the event window to evidence",
	"no-records": "no rotation record to evidence the rotation (the snapshot carries no usable rotation records)",
}
