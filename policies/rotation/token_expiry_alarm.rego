# METADATA
# title: API tokens raise the expiry alarm 7 days before they expire
# description: |
#   Rotation automation is triggered by the pipeline and `TokenExpiryAlarm` fires 7 days before an
#   API or scanner token expires. vaultproof raises that alarm: an enabled token whose current
#   version expires within `token_expiry_alarm_days` (or has already expired) fails with the days
#   left; a token without an expiry date fails too, because no alarm can ever fire for it.
# custom:
#   id: VP-ROT-003
#   severity: high
#   control: secrets-management §4
#   metric: TokenExpiryAlarm
#   remediation: |
#     Run the token rotation pipeline now and store the new token as a new version with an expiry
#     date; make sure the pipeline is triggered by the 7-day alarm (Event Grid SecretNearExpiry or
#     the scheduler) from then on.
#   references:
#     - "secrets-management §4: TokenExpiryAlarm triggers 7 days prior"
#     - "Azure Policy: Secrets should have more than the specified number of days before expiration"
package vaultproof.rules.rotation.token_expiry_alarm

import data.vaultproof.lib
import data.vaultproof.lib.classification
import rego.v1

metric_name := "TokenExpiryAlarm"

token_types := {"api-token", "scanner-token"}

tokens contains o if {
	some o in input.vault.objects
	o.enabled == true
	token_types[classification.type_of(o)]
}

findings contains lib.finding(status, lib.object_resource(input.vault, o), lib.metric(metric_name, left, ">", alarm), msg) if {
	some o in tokens
	expires := lib.current_version(o).expires
	expires != null
	alarm := data.config.thresholds.token_expiry_alarm_days
	left := lib.days_until(expires, input.now)
	status := judge(left, alarm)
	msg := message(o, left)
}

findings contains lib.finding("fail", lib.object_resource(input.vault, o), lib.metric(metric_name, null, ">", data.config.thresholds.token_expiry_alarm_days), msg) if {
	some o in tokens
	lib.current_version(o).expires == null
	msg := concat("", ["token '", o.path, "' has no expiry date, so no expiry alarm can fire"])
}

judge(left, alarm) := "pass" if left > alarm

judge(left, alarm) := "fail" if left <= alarm

message(o, left) := concat("", ["token '", o.path, "' expires in ", lib.num_str(left), " days"]) if left >= 0

message(o, left) := concat("", ["token '", o.path, "' expired ", lib.num_str(0 - left), " days ago"]) if left < 0
