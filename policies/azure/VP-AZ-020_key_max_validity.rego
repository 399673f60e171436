# METADATA
# title: Keys are not valid for longer than a year
# description: |
#   A key version whose validity (expiry minus not-before, or creation) exceeds `key_max_validity_days`
#   stays usable long after its rotation should have retired it. Judged on the current version of
#   every enabled Azure key with an expiry; keys without an expiry are VP-AZ-002's failure, and a key
#   whose version dates were not collected yields error.
# custom:
#   id: VP-AZ-020
#   severity: low
#   control: Azure Policy Key Vault built-ins (peer)
#   requirements: [SM-4-e]
#   metric: KeyMaxValidityDays
#   settings:
#     - thresholds.key_max_validity_days
#   remediation: |
#     Set the rotation policy's `expiryTime` (or the expiry of new versions) to at most the limit and
#     rotate the key now so the long-lived version is superseded.
#   references:
#     - "Azure Policy: Keys should have the specified maximum validity period"
package vaultproof.rules.azure.key_max_validity

import data.vaultproof.lib
import rego.v1

metric_name := "KeyMaxValidityDays"

limit := data.config.thresholds.key_max_validity_days

# An array: each object appears once, and a set would hash every whole object.
keys_with_expiry := [o |
	v := input.vault
	v.provider == "azure-keyvault"
	some o in v.objects
	o.kind == "key"
	o.enabled == true
	is_number(lib.current_version(o).expires)
]

start(cv) := cv.not_before if is_number(cv.not_before)

start(cv) := cv.created if {
	not is_number(cv.not_before)
	is_number(cv.created)
}

findings[out.resource.id] := out if {
	some o in keys_with_expiry
	cv := lib.current_version(o)
	days := lib.days_between(start(cv), cv.expires)
	status := lib.status_le(days, limit)
	msg := concat("", ["key '", o.path, "' is valid for ", lib.num_str(days), " days"])
	out := lib.finding(status, lib.object_resource(input.vault, o), lib.metric(metric_name, days, "<=", limit), msg)
}

findings[out.resource.id] := out if {
	some o in keys_with_expiry
	not start(lib.current_version(o))
	msg := concat("", ["the start of validity of key '", o.path, "' could not be read"])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "<=", limit), msg)
}
