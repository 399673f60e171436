# METADATA
# title: Every rotation in the window has a rotation record with a correlation id
# description: |
#   The rotation job records each rotation with its correlation id, and the validation gate
#   requires RotationDocumented = True before the pipeline resumes. Every object version created in
#   the event window that replaced an earlier version (a rotation) must have a rotation record in
#   the `rotations` event facts carrying a correlation id. Objects without a rotation in the window
#   are not judged; without usable rotation records, objects with rotations yield error, and so do
#   objects whose versions carry no creation time (HashiCorp KV v1). Secondary
#   (fallback/replica) vaults receive their versions by replication and are not judged.
# custom:
#   id: VP-ROT-009
#   severity: high
#   control: secrets-management §4 (rotation process 1, 3), §5
#   requirements: [SM-4.1-c, SM-4.3-a, SM-5-e]
#   metric: RotationDocumented
#   settings:
#     - thresholds.event_window_days
#   remediation: |
#     Record the missing rotation(s) with the change's correlation id (rotation job log or change
#     record), and fix the rotation job so it writes the record before the pipeline resumes.
#   references:
#     - "secrets-management §4: records rotation event with correlation id; RotationDocumented = True"
package vaultproof.rules.rotation.rotation_documented

import data.vaultproof.lib
import data.vaultproof.lib.events
import rego.v1

metric_name := "RotationDocumented"

# Versions of `o` created in the window that replaced an earlier version.
rotations(o) := {k |
	times_known(o)
	first := min({ver.created | some ver in o.versions})
	some k, ver in o.versions
	ver.created > first
	events.in_window(ver.created)
}

findings[out.resource.id] := out if {
	input.vault.role != "secondary"
	records := events.section("rotations")
	some o in input.vault.objects
	rotated := rotations(o)
	count(rotated) > 0
	mine := object.get(records, o.id, {})
	undocumented := {k | some k in rotated; not documented(mine, k)}
	ok := count(undocumented) == 0
	status := lib.status_bool(ok)
	msg := message(o, rotated, undocumented)
	out := lib.finding(status, lib.object_resource(input.vault, o), lib.metric(metric_name, ok, "==", true), msg)
}

findings[out.resource.id] := out if {
	input.vault.role != "secondary"
	not events.section("rotations")
	some o in input.vault.objects
	count(rotations(o)) > 0
	msg := concat("", ["rotations of '", o.path, "' cannot be checked: ", events.missing_reason("rotations")])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "==", true), msg)
}

# Versions without a creation time (HashiCorp KV v1 keeps none): whether the object was rotated in
# the window cannot be told.
findings[out.resource.id] := out if {
	input.vault.role != "secondary"
	some o in input.vault.objects
	not times_known(o)
	msg := concat("", ["whether '", o.path, "' was rotated in the window cannot be told: its versions carry no creation time"])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "==", true), msg)
}

times_known(o) if {
	every ver in o.versions {
		is_number(ver.created)
	}
}

documented(records, k) if {
	is_string(records[k].correlation_id)
	records[k].correlation_id != ""
}

message(o, rotated, undocumented) := concat("", [
	lib.num_str(count(rotated)), " rotation(s) of '", o.path, "' in the window, each recorded with a correlation id",
]) if count(undocumented) == 0

message(o, rotated, undocumented) := concat("", [
	lib.num_str(count(undocumented)), " of ", lib.num_str(count(rotated)), " rotation(s) of '", o.path,
	"' have no rotation record with a correlation id (version ", concat(", ", sort(undocumented)), ")",
]) if count(undocumented) > 0
