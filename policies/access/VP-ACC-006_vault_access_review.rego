# METADATA
# title: Every vault had an access review within the last 31 days
# description: |
#   The monthly VaultAccessReview confirms least privilege. Each vault needs a completed access
#   review (its own, or one covering every vault, key "*") no older than
#   `access_review_max_age_days`, signed off by at least one reviewer and with no open items (the
#   latest review counts; at the same second the vault's own wins over the all-vaults one). A
#   review without reviewers or with open items fails; a record that does not list its reviewers,
#   has no completion time or does not state its open items (a number) is error. Needs the `access_reviews`
#   event facts: without them every vault yields error.
# custom:
#   id: VP-ACC-006
#   severity: medium
#   control: secrets-management §3 (Validation)
#   requirements: [SM-3-i]
#   metric: VaultAccessReview
#   settings:
#     - thresholds.access_review_max_age_days
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
	count(undated(reviews, v.id)) == 0
	key := latest_key(reviews, v.id)
	r := reviews[key]
	limit := data.config.thresholds.access_review_max_age_days
	age := lib.days_between(r.completed_at, input.now)
	fails := failures(r, age, limit)
	errors := unjudgeable(r)
	status := review_status(fails, errors)
	msg := review_message(r, age, fails, errors)
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, age, "<=", limit), msg)
}

findings[out.resource.id] := out if {
	v := input.vault
	reviews := events.section("access_reviews")
	bad := undated(reviews, v.id)
	count(bad) > 0
	msg := concat("", ["access review record(s) ", concat(", ", sort(bad)), " carry no completion time: the latest review cannot be told"])
	out := lib.finding("error", lib.vault_resource(v), lib.metric(metric_name, null, "<=", data.config.thresholds.access_review_max_age_days), msg)
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

# Keys (the vault's own, "*") of the reviews on record for the vault.
review_keys(reviews, vid) := {k | some k in [vid, "*"]; reviews[k]}

# Reviews on record without a numeric completion time (their key, for the message).
undated(reviews, vid) := {k | some k in review_keys(reviews, vid); not dated(reviews[k])}

# (`not is_number(x)` is undefined, not true, when x is undefined: test through helper rules.)
dated(r) if is_number(r.completed_at)

listed(r) if is_array(r.reviewers)

# The latest review's key, unique by construction: the maximum of [completed_at, rank, key] over
# distinct keys; at the same second the vault's own review (rank 1) wins over the all-vaults one.
latest_key(reviews, vid) := max({[reviews[k].completed_at, rank(k, vid), k] | some k in review_keys(reviews, vid)})[2]

rank(k, vid) := 1 if k == vid

rank(k, vid) := 0 if k != vid

# Why the review does not comply: too old, open items, or nobody signed it off.
failures(r, age, limit) := {p |
	some p in [too_old(age, limit), open_items(r), unsigned(r)]
	p != ""
}

too_old(age, limit) := concat("", ["it is older than ", lib.num_str(limit), " days"]) if age > limit

too_old(age, limit) := "" if age <= limit

# Open items of the review (the events collector records 0 when a review record states none).
open_items(r) := concat("", [lib.num_str(r.open_items), " item(s) are still open"]) if has_open(r)

open_items(r) := "" if not has_open(r)

has_open(r) if {
	is_number(r.open_items)
	r.open_items > 0
}

# A review nobody signed off is no review: the standard's monthly review is a sign-off by reviewers.
unsigned(r) := "no reviewer signed it off" if {
	listed(r)
	count(signers(r)) == 0
}

unsigned(r) := "" if count(signers(r)) > 0

unsigned(r) := "" if not listed(r)

signers(r) := {trim_space(x) | some x in r.reviewers; is_string(x); trim_space(x) != ""}

# What the record lacks to be judged at all.
unjudgeable(r) := {p |
	some p in [reviewers_missing(r), open_items_unreadable(r)]
	p != ""
}

reviewers_missing(r) := "the record does not list its reviewers" if not listed(r)

reviewers_missing(r) := "" if listed(r)

open_items_unreadable(r) := "its open items are not a number" if {
	r.open_items != null
	not is_number(r.open_items)
}

open_items_unreadable(r) := "its open items are not a number" if r.open_items == null

open_items_unreadable(r) := "the record does not state its open items" if not has_open_items(r)

open_items_unreadable(r) := "" if is_number(r.open_items)

has_open_items(r) if {
	_ := r.open_items
}

review_status(fails, _) := "fail" if count(fails) > 0

review_status(fails, errors) := "error" if {
	count(fails) == 0
	count(errors) > 0
}

review_status(fails, errors) := "pass" if count(fails | errors) == 0

review_message(r, age, fails, errors) := concat("", [
	"last access review ", r.review_id, " was completed ", lib.num_str(age), " days ago by ", concat(", ", sort(signers(r))),
]) if count(fails | errors) == 0

review_message(r, age, fails, errors) := concat("", [
	"last access review ", r.review_id, " (completed ", lib.num_str(age), " days ago) does not count: ", concat("; ", sort(fails | errors)),
]) if count(fails | errors) > 0
