# METADATA
# title: Secrets are renewed before they come close to expiry
# description: |
#   A secret close to its expiry date will break its consumers unless it is renewed now. Each
#   enabled Azure secret with an expiry must have more than `min_days_before_expiry` days left
#   (the standard's 7-day alarm). API and scanner tokens are judged by VP-ROT-003 instead.
# custom:
#   id: VP-AZ-005
#   severity: medium
#   control: Azure Policy Key Vault built-ins (peer)
#   requirements: [SM-4-d]
#   metric: SecretDaysBeforeExpiry
#   settings:
#     - thresholds.min_days_before_expiry
#   remediation: |
#     Rotate the secret (new version with a new expiry) and check that the rotation job is
#     scheduled ahead of the expiry.
#   references:
#     - "Azure Policy: Secrets should have more than the specified number of days before expiration"
package vaultproof.rules.azure.secret_days_before_expiry

import data.vaultproof.lib
import data.vaultproof.lib.classification
import rego.v1

metric_name := "SecretDaysBeforeExpiry"

token_types := {"api-token", "scanner-token"}

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "azure-keyvault"
	some o in v.objects
	o.kind == "secret"
	o.enabled == true
	not token(o)
	expires := lib.current_version(o).expires
	is_number(expires)
	min_days := data.config.thresholds.min_days_before_expiry
	left := lib.days_until(expires, input.now)
	status := lib.status_le(0 - left, 0 - min_days - 1)
	msg := concat("", ["secret '", o.path, "' has ", lib.num_str(left), " days before it expires"])
	out := lib.finding(status, lib.object_resource(v, o), lib.metric(metric_name, left, ">", min_days), msg)
}

token(o) if token_types[classification.type_of(o)]
