# METADATA
# title: Unclassified secrets and keys are not active for more than a year
# description: |
#   The rotation rules age an object against the interval of its credential type, so an object that
#   no classification rule types (and carries no `credential-type` tag) is never aged: it can stay
#   in use for years. Its current version must not have been active (since its not-before, else its
#   creation) for more than `unclassified_max_active_days`. Judged on every enabled, unclassified
#   Azure secret and key (VP-ROT-010 reports that they are unclassified); a version whose start was
#   not collected yields error.
# custom:
#   id: VP-AZ-022
#   severity: medium
#   control: Azure Policy Key Vault built-ins (peer)
#   requirements: [SM-4-a, SM-4-b, SM-4-e, SM-4-g, SM-4-h]
#   metric: UnclassifiedActiveDays
#   settings:
#     - thresholds.unclassified_max_active_days
#   remediation: |
#     Rotate the object (a new version), then classify it: a `credential-type` tag or a
#     classification rule in vaultproof.yaml gives it its type's rotation interval.
#   references:
#     - "Azure Policy: Secrets should not be active for longer than the specified number of days"
#     - "Azure Policy: Keys should not be active for longer than the specified number of days"
package vaultproof.rules.azure.unclassified_active_days

import data.vaultproof.lib
import data.vaultproof.lib.classification
import rego.v1

metric_name := "UnclassifiedActiveDays"

limit := data.config.thresholds.unclassified_max_active_days

aged_kinds := {"secret", "key"}

# An array: each object appears once, and a set would hash every whole object.
unclassified := [o |
	v := input.vault
	v.provider == "azure-keyvault"
	some id, o in v.objects
	aged_kinds[o.kind]
	o.enabled == true
	not classification.vault_types[id]
]

start(cv) := cv.not_before if is_number(cv.not_before)

start(cv) := cv.created if {
	not is_number(cv.not_before)
	is_number(cv.created)
}

findings[out.resource.id] := out if {
	some o in unclassified
	days := lib.days_between(start(lib.current_version(o)), input.now)
	status := lib.status_le(days, limit)
	msg := concat("", [o.kind, " '", o.path, "' matches no classification rule and has been active for ", lib.num_str(days), " days"])
	out := lib.finding(status, lib.object_resource(input.vault, o), lib.metric(metric_name, days, "<=", limit), msg)
}

findings[out.resource.id] := out if {
	some o in unclassified
	not start(lib.current_version(o))
	msg := concat("", ["the activation time of ", o.kind, " '", o.path, "' could not be read"])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "<=", limit), msg)
}
