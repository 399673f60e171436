package vaultproof.rules.access.vault_access_review_test

import data.vaultproof.rules.access.vault_access_review as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

vid := fx.azure_vault({}).id

review(id, age) := {"review_id": id, "completed_at": fx.days_ago(age), "reviewers": ["ciso", "platform-lead"]}

test_recent_review_passes if {
	e := {"window": fx.window, "access_reviews": {vid: review("AR-11", 12)}}
	some f in rule.findings with input as fx.events_input({}, e)
	f.status == "pass"
	f.metric == {"name": "VaultAccessReview", "value": 12, "op": "<=", "threshold": 31}
	f.message == "last access review AR-11 was completed 12 days ago by ciso, platform-lead"
}

test_fleet_wide_review_counts_and_latest_wins if {
	e := {"window": fx.window, "access_reviews": {vid: review("AR-9", 70), "*": review("AR-12", 3)}}
	some f in rule.findings with input as fx.events_input({}, e)
	f.metric.value == 3
}

test_stale_review_fails if {
	e := {"window": fx.window, "access_reviews": {vid: review("AR-9", 45)}}
	fx.statuses(rule.findings) == {[vid, "fail"]} with input as fx.events_input({}, e)
}

test_no_review_on_record_fails if {
	e := {"window": fx.window, "access_reviews": {"other-vault": review("AR-9", 1)}}
	some f in rule.findings with input as fx.events_input({}, e)
	f.status == "fail"
	f.message == "no access review of this vault is on record"
}

test_missing_events_is_error if {
	fx.statuses(rule.findings) == {[vid, "error"]} with input as fx.events_input({}, null)
}
