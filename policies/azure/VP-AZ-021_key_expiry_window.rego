# METADATA
# title: Keys do not expire within 30 days
# description: |
#   A key that expires within `key_min_remaining_days` days (or has expired) stops encrypting,
#   signing or wrapping on a date already known: its rotation did not happen or failed. Judged on
#   the current version of every enabled Azure key with an expiry; keys without an expiry are
#   VP-AZ-002's failure.
# custom:
#   id: VP-AZ-021
#   severity: high
#   control: Azure Policy Key Vault built-ins (peer)
#   requirements: [SM-4-e]
#   metric: KeyDaysToExpiry
#   settings:
#     - thresholds.key_min_remaining_days
#   remediation: |
#     Rotate the key now (`az keyvault key rotate`), then find out why its rotation policy did not
#     rotate it before expiry (a `Rotate` action with `timeBeforeExpiry` renews ahead of it).
#   references:
#     - "Azure Policy: Keys should not expire within the specified number of days"
package vaultproof.rules.azure.key_expiry_window

import data.vaultproof.lib
import rego.v1

metric_name := "KeyDaysToExpiry"

limit := data.config.thresholds.key_min_remaining_days

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "azure-keyvault"
	some o in v.objects
	o.kind == "key"
	o.enabled == true
	expires := lib.current_version(o).expires
	is_number(expires)
	left := lib.days_until(expires, input.now)
	status := lib.status_le(limit, left)
	msg := concat("", ["key '", o.path, "' ", expiry_text(left)])
	out := lib.finding(status, lib.object_resource(v, o), lib.metric(metric_name, left, ">=", limit), msg)
}

expiry_text(left) := concat("", ["expires in ", lib.num_str(left), " days"]) if left >= 0

expiry_text(left) := concat("", ["expired ", lib.num_str(0 - left), " days ago"]) if left < 0
