# METADATA
# title: Rotations run through the pipeline identity and failed runs are retried with exponential backoff
# description: |
#   API token rotation is triggered via the pipeline: an automated job stores the new secret; a
#   failed job is retried with exponential backoff. Per object rotated in the window (a version
#   created after the first, as the snapshot shows it), from the
#   `rotation_runs` event facts (rotation-run records): every attempt must be made by a pipeline
#   identity (`rotation_pipeline_principals`, patterns), a failed attempt must be followed by a
#   retry, and each delay between attempts of a run must be at least
#   `rotation_retry_backoff_factor` times the one before. A rotation with no run on record is
#   error (no evidence on record), as is a record store that was not read. Escalating a rotation
#   still failing after 24 hours is VP-ROT-011's. Secondary (replica) vaults are not judged.
# custom:
#   id: VP-PRC-003
#   severity: medium
#   control: secrets-management §4, §6 (rotation job failure)
#   metric: RotationRunCompliant
#   requirements: [SM-4-c, SM-4.1-a, SM-6-j]
#   settings:
#     - thresholds.rotation_pipeline_principals
#     - thresholds.rotation_retry_backoff_factor
#   remediation: |
#     Rotate through the pipeline's identity only (revoke people's write access to rotated
#     credentials), make the rotation job retry failed attempts with exponential backoff
#     (Invoke-RetryWithBackoff), and have it write a rotation-run record per attempt.
#   references:
#     - "secrets-management §4: rotation automation triggered via pipeline; automated job acquires new secret"
#     - "secrets-management §6: rotation job failure: retry job with exponential backoff"
package vaultproof.rules.process.rotation_runs

import data.vaultproof.lib
import data.vaultproof.lib.events
import rego.v1

metric_name := "RotationRunCompliant"

factor := data.config.thresholds.rotation_retry_backoff_factor

primary if object.get(input.vault, "role", "") != "secondary"

runs_of(id) := object.get(events.section("rotation_runs"), id, {})

# Objects rotated in the window, as the snapshot shows them (so deleting run records can only turn
# a finding into error, never make it disappear).
judged_objects := [o |
	primary
	some o in input.vault.objects
	count(events.rotated_versions(o)) > 0
]

findings[out.resource.id] := out if {
	events.section("rotation_runs")
	some o in judged_objects
	runs := runs_of(o.id)
	count(runs) > 0
	every r in runs {
		intact(r)
	}
	problems := sort([p | some id, r in runs; some p in run_problems(id, r)])
	ok := count(problems) == 0
	msg := message(o, runs, problems)
	out := lib.finding(lib.status_bool(ok), lib.object_resource(input.vault, o), lib.metric(metric_name, ok, "==", true), msg)
}

findings[out.resource.id] := out if {
	events.section("rotation_runs")
	some o in judged_objects
	count(runs_of(o.id)) == 0
	msg := events.no_evidence(concat("", ["'", o.path, "' was rotated in the window (version(s) ", concat(", ", sort([k | some k, _ in events.rotated_versions(o)])), ") but no rotation run is recorded"]))
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "==", true), msg)
}

findings[out.resource.id] := out if {
	events.section("rotation_runs")
	some o in judged_objects
	broken := sort([id | some id, r in runs_of(o.id); not intact(r)])
	count(broken) > 0
	msg := events.no_evidence(concat("", ["run(s) ", concat(", ", broken), " of '", o.path, "' lack attempts (numbered from 1 without a gap) or an attempt's time, status or actor"]))
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "==", true), msg)
}

# Whether a rotation happened in the window cannot be told when a version carries no creation time.
findings[out.resource.id] := out if {
	primary
	some o in input.vault.objects
	not times_known(o)
	msg := concat("", ["whether '", o.path, "' was rotated in the window cannot be told: its versions carry no creation time"])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "==", true), msg)
}

times_known(o) if {
	every v in o.versions {
		is_number(v.created)
	}
}

# A run whose attempts are all on record (numbered 1..n) with the fields they are judged on.
intact(r) if {
	is_array(r.attempts)
	count(r.attempts) > 0
	every i, a in r.attempts {
		events.has_fields(a, ["attempt", "time", "status", "actor"])
		a.attempt == i + 1
		is_number(a.time)
		is_string(a.actor)
	}
}

findings[out.resource.id] := out if {
	not events.section("rotation_runs")
	some o in judged_objects
	msg := concat("", ["rotation runs of '", o.path, "' cannot be checked: ", events.missing_reason("rotation_runs")])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "==", true), msg)
}

pipeline(actor) if {
	some p in data.config.thresholds.rotation_pipeline_principals
	glob.match(p, [], actor)
}

run_problems(id, r) := {p |
	some p in array.concat(actor_problems(id, r), array.concat(retry_problems(id, r), backoff_problems(id, r)))
}

actor_problems(id, r) := [concat("", ["run ", id, " attempt ", lib.num_str(a.attempt), " by '", a.actor, "', not a pipeline identity"]) |
	some a in r.attempts
	not pipeline(a.actor)
]

retry_problems(id, r) := [concat("", ["run ", id, " attempt ", lib.num_str(last.attempt), " failed and was not retried"]) |
	last := r.attempts[count(r.attempts) - 1]
	last.status == "failed"
]

# Delays between consecutive attempts (numbers.range counts down when its end is below its start: guarded).
gaps(r) := [d |
	count(r.attempts) > 1
	some i in numbers.range(0, count(r.attempts) - 2)
	d := r.attempts[i + 1].time - r.attempts[i].time
]

backoff_problems(id, r) := [concat("", ["run ", id, " retried after ", delays(g), ": each delay must be at least ", lib.num_str(factor), " times the one before"]) |
	g := gaps(r)
	count(g) > 1
	some i in numbers.range(1, count(g) - 1)
	g[i] < factor * g[i - 1]
]

delays(g) := concat(", ", [concat("", [lib.num_str(x), " s"]) | some x in g])

retried(runs) := count([1 | some r in runs; count(r.attempts) > 1])

actors(runs) := concat(", ", sort({a.actor | some r in runs; some a in r.attempts}))

message(o, runs, problems) := concat("", [
	"'", o.path, "': ", lib.num_str(count(runs)), " rotation run(s) by ", actors(runs), "; ",
	lib.num_str(retried(runs)), " retried with increasing backoff",
]) if count(problems) == 0

message(o, _, problems) := concat("", ["'", o.path, "': ", concat("; ", problems)]) if count(problems) > 0
