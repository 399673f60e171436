package vaultproof.rules.audit.access_outside_rbac_test

import data.vaultproof.rules.audit.access_outside_rbac as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

vid := fx.azure_vault({}).id

denied(p, path, n) := {"principal": p, "path": path, "operation": "read", "count": n, "last_seen": fx.days_ago(1)}

audit(n, d) := {vid: {"privileged_operations": 0, "with_correlation_id": 0, "expected_privileged_operations": null, "denied_requests": n, "denied": d}}

test_no_denied_request_passes if {
	some f in rule.findings with input as fx.events_input({}, {"window": fx.window, "audit": audit(0, {})})
	f.status == "pass"
	f.metric == {"name": "AccessOutsideRbac", "value": 0, "op": "==", "threshold": 0}
}

test_denied_requests_fail_with_the_top_offenders if {
	d := {
		"a|x": denied("a", "x", 1), "b|y": denied("b", "y", 9), "c|z": denied("c", "z", 4), "d|w": denied("d", "w", 2),
	}
	some f in rule.findings with input as fx.events_input({}, {"window": fx.window, "audit": audit(16, d)})
	f.status == "fail"
	f.message == "16 denied request(s): b on y (9), c on z (4), d on w (2) and 1 more"
}

test_missing_log_is_error if {
	fx.statuses(rule.findings) == {[vid, "error"]} with input as fx.events_input({}, {"window": fx.window, "audit": {}})
	fx.statuses(rule.findings) == {[vid, "error"]} with input as fx.events_input({}, null)
}
