package vaultproof.rules.process.rotation_runs_test

import data.vaultproof.rules.process.rotation_runs as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

versions := {"v1": {"created": fx.days_ago(70), "updated": fx.days_ago(70), "expires": null, "not_before": null, "enabled": true}, "v2": {"created": fx.days_ago(2), "updated": fx.days_ago(2), "expires": null, "not_before": null, "enabled": true}}

objs := {"tok": fx.obj("tok", "secret", "project/connectors/jamf/api-token", 2, {"versions": versions, "current_version": "v2"})}

at(n, t, status, actor) := {"attempt": n, "time": t, "status": status, "actor": actor, "version": null}

t0 := fx.days_ago(2) - 600

inp(runs) := fx.events_input(objs, {"window": fx.window, "rotation_runs": runs})

only(findings) := f if {
	count(findings) == 1
	some f in findings
}

test_pipeline_run_with_exponential_retries_passes if {
	r := {"attempts": [at(1, t0, "failed", "rotation-pipeline"), at(2, t0 + 60, "failed", "rotation-pipeline"), at(3, t0 + 180, "succeeded", "rotation-pipeline")]}
	f := only(rule.findings) with input as inp({"tok": {"run-1": r}})
	f.status == "pass"
	f.message == "'project/connectors/jamf/api-token': 1 rotation run(s) by rotation-pipeline; 1 retried with increasing backoff"
}

test_run_by_a_person_fails if {
	f := only(rule.findings) with input as inp({"tok": {"run-2": {"attempts": [at(1, t0, "succeeded", "j.nowak@contoso.example")]}}})
	f.status == "fail"
	f.message == "'project/connectors/jamf/api-token': run run-2 attempt 1 by 'j.nowak@contoso.example', not a pipeline identity"
}

test_constant_retry_delay_fails if {
	r := {"attempts": [at(1, t0, "failed", "approle:rotation-pipeline"), at(2, t0 + 60, "failed", "approle:rotation-pipeline"), at(3, t0 + 120, "succeeded", "approle:rotation-pipeline")]}
	f := only(rule.findings) with input as inp({"tok": {"run-3": r}})
	f.status == "fail"
	f.message == "'project/connectors/jamf/api-token': run run-3 retried after 60 s, 60 s: each delay must be at least 1.5 times the one before"
}

test_failed_run_not_retried_fails if {
	f := only(rule.findings) with input as inp({"tok": {"run-4": {"attempts": [at(1, t0, "failed", "rotation-pipeline")]}}})
	f.status == "fail"
	contains(f.message, "attempt 1 failed and was not retried")
}

test_rotation_without_run_is_error if {
	f := only(rule.findings) with input as inp({})
	f.status == "error"
	f.message == "no evidence on record: 'project/connectors/jamf/api-token' was rotated in the window (version(s) v2) but no rotation run is recorded"
}

test_missing_section_is_error if {
	f := only(rule.findings) with input as fx.events_input(objs, null)
	f.status == "error"
	f.message == "rotation runs of 'project/connectors/jamf/api-token' cannot be checked: the snapshot carries no event facts"
}

test_unrotated_object_without_runs_not_judged if {
	count(rule.findings) == 0 with input as fx.events_input({"x": fx.obj("x", "secret", "project/a", 90, {})}, {"window": fx.window, "rotation_runs": {}})
}

test_run_with_a_missing_attempt_or_field_is_error if {
	gap := {"attempts": [at(1, t0, "failed", "rotation-pipeline"), at(3, t0 + 120, "succeeded", "rotation-pipeline")]}
	f := only(rule.findings) with input as inp({"tok": {"run-5": gap}})
	f.status == "error"
	f.message == "no evidence on record: run(s) run-5 of 'project/connectors/jamf/api-token' lack attempts (numbered from 1 without a gap) or an attempt's time, status or actor"
	no_actor := {"attempts": [object.remove(at(1, t0, "succeeded", "x"), ["actor"])]}
	g := only(rule.findings) with input as inp({"tok": {"run-6": no_actor}})
	g.status == "error"
}

test_versions_without_times_are_error if {
	untimed := {"u": fx.obj("u", "secret", "project/a", 5, {"versions": {"1": {"created": null, "updated": null, "expires": null, "not_before": null, "enabled": true}}, "current_version": "1"})}
	f := only(rule.findings) with input as fx.events_input(untimed, {"window": fx.window, "rotation_runs": {}})
	f.status == "error"
}
