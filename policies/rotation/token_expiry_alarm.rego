# METADATA
# title: API tokens raise the expiry alarm 7 days before they expire
# description: |
#   Rotation automation is triggered by the pipeline and `TokenExpiryAlarm` fires 7 days before an
#   API or scanner token expires. vaultproof raises that alarm: an enabled token whose current
#   version expires within `token_expiry_alarm_days` (or has already expired) fails with the days
#   left. Where the vault keeps no expiry (HashiCorp KV v2, or an Azure token without one, which
#   VP-AZ-002 reports) the alarm counts down to the rotation deadline (last rotation + the type's
#   interval); a token with neither fails, because no alarm can ever fire for it.
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

# Ids of the enabled tokens, with their due dates, computed once per evaluation (a set of whole
# objects is hashed per object, and both finding rules asked for the due date).
tokens contains id if {
	some id, o in input.vault.objects
	o.enabled == true
	token_types[classification.vault_types[id]]
}

due_dates[id] := due_date(input.vault.objects[id]) if some id in tokens

findings[out.resource.id] := out if {
	some id in tokens
	o := input.vault.objects[id]
	[due, kind] := due_dates[id]
	alarm := data.config.thresholds.token_expiry_alarm_days
	left := lib.days_until(due, input.now)
	status := judge(left, alarm)
	msg := message(o, kind, left)
	out := lib.finding(status, lib.object_resource(input.vault, o), lib.metric(metric_name, left, ">", alarm), msg)
}

findings[out.resource.id] := out if {
	some id in tokens
	o := input.vault.objects[id]
	not due_dates[id]
	msg := concat("", ["token '", o.path, "' has neither an expiry date nor a rotation interval, so no expiry alarm can fire"])
	out := lib.finding("fail", lib.object_resource(input.vault, o), lib.metric(metric_name, null, ">", data.config.thresholds.token_expiry_alarm_days), msg)
}

# The date the alarm counts down to: the current version's expiry, else (vaults without expiry
# metadata, such as KV v2) the rotation deadline, last rotation + the type's interval.
due_date(o) := [lib.current_version(o).expires, "expires"] if is_number(lib.current_version(o).expires)

due_date(o) := [lib.last_rotated(o) + (days * lib.seconds_per_day), "is due for rotation"] if {
	not expiry_set(o)
	days := classification.vault_rotation_days[o.id]
	is_number(days)
}

expiry_set(o) if is_number(lib.current_version(o).expires)

judge(left, alarm) := "pass" if left > alarm

judge(left, alarm) := "fail" if left <= alarm

message(o, kind, left) := concat("", ["token '", o.path, "' ", kind, " in ", lib.num_str(left), " days"]) if left >= 0

message(o, "expires", left) := concat("", ["token '", o.path, "' expired ", lib.num_str(0 - left), " days ago"]) if left < 0

message(o, "is due for rotation", left) := concat("", ["token '", o.path, "' was due for rotation ", lib.num_str(0 - left), " days ago"]) if left < 0
