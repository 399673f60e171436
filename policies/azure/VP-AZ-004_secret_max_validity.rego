# METADATA
# title: Secrets are not valid for longer than their rotation interval
# description: |
#   A secret whose validity (expiry minus not-before, or creation) exceeds its rotation interval
#   stays usable long after it should have been replaced. Each enabled Azure secret with an expiry
#   is judged against the rotation interval of its credential type, or `secret_max_validity_days`
#   for types without one. Secrets without an expiry are judged by VP-AZ-002.
# custom:
#   id: VP-AZ-004
#   severity: low
#   control: Azure Policy Key Vault built-ins (peer)
#   requirements: [SM-4-b, SM-4-g]
#   metric: SecretMaxValidityDays
#   settings:
#     - thresholds.secret_max_validity_days
#     - thresholds.rotation_days
#   remediation: |
#     Set the expiry of new versions to at most the rotation interval (rotation job parameter) and
#     rotate the secret now so the long-lived version is superseded.
#   references:
#     - "Azure Policy: Secrets should have the specified maximum validity period"
package vaultproof.rules.azure.secret_max_validity

import data.vaultproof.lib
import data.vaultproof.lib.classification
import rego.v1

metric_name := "SecretMaxValidityDays"

limit(o) := d if {
	d := classification.vault_rotation_days[o.id]
	is_number(d)
}

limit(o) := data.config.thresholds.secret_max_validity_days if not typed_limit(o)

typed_limit(o) if is_number(classification.vault_rotation_days[o.id])

start(cv) := cv.not_before if is_number(cv.not_before)

start(cv) := cv.created if not nbf_set(cv)

nbf_set(cv) if is_number(cv.not_before)

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "azure-keyvault"
	some o in v.objects
	o.kind == "secret"
	o.enabled == true
	cv := lib.current_version(o)
	is_number(cv.expires)
	days := lib.days_between(start(cv), cv.expires)
	status := lib.status_le(days, limit(o))
	msg := concat("", ["secret '", o.path, "' is valid for ", lib.num_str(days), " days; the limit is ", lib.num_str(limit(o))])
	out := lib.finding(status, lib.object_resource(v, o), lib.metric(metric_name, days, "<=", limit(o)), msg)
}
