package vaultproof.rules.audit.audit_event_count_test

import data.vaultproof.rules.audit.audit_event_count as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

vid := fx.azure_vault({}).id

counts(priv, cid, expected) := {"privileged_operations": priv, "with_correlation_id": cid, "expected_privileged_operations": expected, "denied_requests": 0, "denied": {}}

ev(a) := {"window": fx.window, "audit": a}

test_matching_correlated_counts_pass if {
	some f in rule.findings with input as fx.events_input({}, ev({vid: counts(12, 12, 12)}))
	f.status == "pass"
	f.metric == {"name": "AuditEventCount", "value": 12, "op": "==", "threshold": 12}
	f.message == "12 privileged event(s), all with a correlation id, as the records expect"
}

# Issue 15: no expected count to compare with is an error, never a pass.
test_no_expected_count_is_error if {
	some g in rule.findings with input as fx.events_input({}, ev({vid: counts(3, 3, null)}))
	g.status == "error"
	g.metric == {"name": "AuditEventCount", "value": 3, "op": "==", "threshold": null}
	g.message == "3 privileged event(s), all with a correlation id, but no expected count to compare with (no record source covers this vault)"
}

test_uncorrelated_without_expected_count_fails if {
	some g in rule.findings with input as fx.events_input({}, ev({vid: counts(3, 2, null)}))
	g.status == "fail"
	g.message == "1 privileged event(s) carry no correlation id"
}

test_counts_not_numbers_is_error if {
	some g in rule.findings with input as fx.events_input({}, ev({vid: {"expected_privileged_operations": 3}}))
	g.status == "error"
	g.message == "audit events cannot be counted: the audit facts of this vault carry no numeric counts"
}

test_missing_correlation_or_count_mismatch_fails if {
	some f in rule.findings with input as fx.events_input({}, ev({vid: counts(10, 8, 11)}))
	f.status == "fail"
	f.message == "10 privileged event(s) logged where the records expect 11; 2 privileged event(s) carry no correlation id"
}

test_vault_without_log_is_error if {
	some f in rule.findings with input as fx.events_input({}, ev({"other": counts(1, 1, 1)}))
	f.status == "error"
	f.message == "audit events cannot be counted: no audit log of this vault was read"
	some g in rule.findings with input as fx.events_input({}, null)
	g.message == "audit events cannot be counted: the snapshot carries no event facts"
}
