package vaultproof.rules.access.vault_access_review_test

import data.vaultproof.rules.access.vault_access_review as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

vid := fx.azure_vault({}).id

review(id, age) := {"review_id": id, "completed_at": fx.days_ago(age), "reviewers": ["ciso", "platform-lead"], "open_items": 0}

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

# Regression (issue 15): a per-vault and an all-vaults review completed at the same second made
# `latest` a function with two outputs and aborted the scan. The vault's own review wins the tie.
test_same_second_reviews_do_not_conflict if {
	t := fx.days_ago(4)
	e := {"window": fx.window, "access_reviews": {
		vid: {"review_id": "AR-OWN", "completed_at": t, "reviewers": ["ciso"], "open_items": 0},
		"*": {"review_id": "AR-ALL", "completed_at": t, "reviewers": ["platform-lead"], "open_items": 0},
	}}
	fs := rule.findings with input as fx.events_input({}, e)
	count(fs) == 1
	some f in fs
	f.status == "pass"
	f.message == "last access review AR-OWN was completed 4 days ago by ciso"
}

# Regression (issue 15): a review with open items passed. Open items mean the review found access
# still to be fixed: it does not confirm least privilege (§3), so it fails.
test_review_with_open_items_fails if {
	r := object.union(review("AR-11", 3), {"open_items": 2})
	some f in rule.findings with input as fx.events_input({}, {"window": fx.window, "access_reviews": {vid: r}})
	f.status == "fail"
	f.message == "last access review AR-11 (completed 3 days ago) does not count: 2 item(s) are still open"
	some g in rule.findings with input as fx.events_input({}, {"window": fx.window, "access_reviews": {vid: object.union(r, {"open_items": 0})}})
	g.status == "pass"
}

# Regression (issue 15): a review with no reviewers passed. The standard's VaultAccessReview is a
# sign-off; a record that names nobody (or only blanks) shows no one confirmed least privilege, so
# it fails like a missing review. A record without a reviewers list at all cannot be judged: error.
test_review_without_reviewers_fails_and_unlisted_reviewers_are_error if {
	r := object.union(review("AR-11", 3), {"reviewers": []})
	some f in rule.findings with input as fx.events_input({}, {"window": fx.window, "access_reviews": {vid: r}})
	f.status == "fail"
	f.message == "last access review AR-11 (completed 3 days ago) does not count: no reviewer signed it off"
	blank := object.union(r, {"reviewers": ["  ", ""]})
	fx.statuses(rule.findings) == {[vid, "fail"]} with input as fx.events_input({}, {"window": fx.window, "access_reviews": {vid: blank}})
	unlisted := {"review_id": "AR-11", "completed_at": fx.days_ago(3), "open_items": 0}
	some g in rule.findings with input as fx.events_input({}, {"window": fx.window, "access_reviews": {vid: unlisted}})
	g.status == "error"
	g.message == "last access review AR-11 (completed 3 days ago) does not count: the record does not list its reviewers"
}

test_review_without_completion_time_is_error if {
	r := {"review_id": "AR-11", "completed_at": null, "reviewers": ["ciso"], "open_items": 0}
	some f in rule.findings with input as fx.events_input({}, {"window": fx.window, "access_reviews": {"*": r, vid: review("AR-9", 2)}})
	f.status == "error"
	f.message == "access review record(s) * carry no completion time: the latest review cannot be told"
	bad := object.union(review("AR-11", 3), {"open_items": "many"})
	fx.statuses(rule.findings) == {[vid, "error"]} with input as fx.events_input({}, {"window": fx.window, "access_reviews": {vid: bad}})
}

test_review_without_completion_time_field_is_error if {
	r := {"review_id": "AR-11", "reviewers": ["ciso"], "open_items": 0}
	fx.statuses(rule.findings) == {[vid, "error"]} with input as fx.events_input({}, {"window": fx.window, "access_reviews": {vid: r}})
}

# A record that does not state its open items cannot show the review closed: error, never pass
# (deleting the field must not turn a failing review green).
test_review_not_stating_open_items_is_error if {
	r := object.remove(review("AR-11", 3), ["open_items"])
	some f in rule.findings with input as fx.events_input({}, {"window": fx.window, "access_reviews": {vid: r}})
	f.status == "error"
	f.message == "last access review AR-11 (completed 3 days ago) does not count: the record does not state its open items"
}
