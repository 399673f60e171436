# METADATA
# title: Every vault had an access review within the last 31 days
# description: |
#   The monthly VaultAccessReview confirms least privilege. Each vault needs a completed access
#   review (its own, or one covering every vault, key "*") no older than
#   `access_review_max_age_days`. Needs the `access_reviews` event facts: without them every vault
#   yields error.
# custom:
#   id: VP-ACC-006
#   severity: medium
#   control: secrets-management §3 (Validation)
#   metric: VaultAccessReview
#   remediation: |
#     Run the access review (`vaultproof review` produces the access matrix), have it signed off
#     and record it in the review store.
#   references:
#     - "secrets-management §3: monthly VaultAccessReview ensures least privilege"
#     - "CIS Microsoft Azure Foundations: periodic review of privileged role assignments"
package vaultproof.rules.access.vault_access_review

import data.vaultproof.lib
import data.vaultproof.lib.events
import rego.v1

metric_name := "VaultAccessReview"

findings[out.resource.id] := out if {
	v := input.vault
	reviews := events.section("access_reviews")
	r := latest({x | some k in [v.id, "*"]; x := reviews[k]})
	limit := data.config.thresholds.access_review_max_age_days
	age := lib.days_between(r.completed_at, input.now)
	status := lib.status_le(age, limit)
	msg := concat("", ["last access review ", r.review_id, " was completed ", lib.num_str(age), " days ago by ", concat(", ", r.reviewers)])
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, age, "<=", limit), msg)
}

findings[out.resource.id] := out if {
	v := input.vault
	reviews := events.section("access_reviews")
	not reviews[v.id]
	not reviews["*"]
	msg := "no access review of this vault is on record"
	out := lib.finding("fail", lib.vault_resource(v), lib.metric(metric_name, null, "<=", data.config.thresholds.access_review_max_age_days), msg)
}

findings[out.resource.id] := out if {
	v := input.vault
	not events.section("access_reviews")
	msg := concat("", ["access reviews cannot be checked: ", events.missing_reason("access_reviews")])
	out := lib.finding("error", lib.vault_resource(v), lib.metric(metric_name, null, "<=", data.config.thresholds.access_review_max_age_days), msg)
}

latest(rs) := r if {
	t := max({x.completed_at | some x in rs})
	some r in rs
	r.completed_at == t
}
