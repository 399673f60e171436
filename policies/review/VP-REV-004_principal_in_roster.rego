# METADATA
# title: Only principals on the configured roster hold access
# description: |
#   Every principal holding access (a grant of its own, or, in Azure, one of a group it belongs to;
#   groups too) must be on the roster of principals expected to hold access (`review.roster` in
#   vaultproof.yaml, by id or display name). Without a roster the rule judges nothing (the access
#   review notes it). Shown in the access review.
# custom:
#   id: VP-REV-004
#   severity: high
#   control: secrets-management §3
#   requirements: [SM-3-i]
#   metric: PrincipalInRoster
#   settings:
#     - review.roster
#   remediation: >-
#     Add the principal to the roster (review.roster in vaultproof.yaml) with its owner's approval,
#     or revoke its access.
#   references:
#     - "secrets-management §3: monthly VaultAccessReview ensures least privilege"
package vaultproof.rules.review.principal_in_roster

import data.vaultproof.lib
import data.vaultproof.lib.access
import rego.v1

metric_name := "PrincipalInRoster"

roster := {x | some x in data.config.review.roster}

findings[out.resource.id] := out if {
	is_array(data.config.review.roster)
	some pid, _ in access.held_vaults
	p := input.principals[pid]
	ok := on_roster(p)
	out := lib.finding(lib.status_bool(ok), access.principal_resource(p), lib.metric(metric_name, ok, "==", true), message(ok, p))
}

on_roster(p) if roster[p.id]

on_roster(p) if roster[p.display_name]

on_roster(p) := false if {
	not roster[p.id]
	not roster[p.display_name]
}

message(true, p) := concat("", ["'", p.display_name, "' is on the roster"])

message(false, p) := concat("", ["'", p.display_name, "' (", p.type, ", ", p.id, ") holds access but is not on the roster"])
