# METADATA
# title: API tokens raise the expiry alarm 7 days before they expire
# description: |
#   Rotation automation is triggered by the pipeline and `TokenExpiryAlarm` fires 7 days before an
#   API or scanner token expires. vaultproof raises that alarm: an enabled token whose current
#   version expires within `token_expiry_alarm_days` (or has already expired) fails with the days
#   left; it fires only when the time left is at most `token_expiry_alarm_days` x 86400 seconds
#   (7 days 22 hours left is not 7 days: the days shown are rounded up to a tenth). A scheduled
#   deletion of the current version (HashiCorp KV v2 `delete_version_after`) is an expiry. Where the
#   vault keeps no expiry (HashiCorp KV v2, or an Azure token without one, which VP-AZ-002 reports)
#   the alarm counts down to the rotation deadline (last rotation + the type's interval); a token
#   with neither fails, because no alarm can ever fire for it; a token whose last rotation time is
#   unknown (HashiCorp KV v1 keeps none) is error.
# custom:
#   id: VP-ROT-003
#   severity: high
#   control: secrets-management §4
#   requirements: [SM-4-d]
#   metric: TokenExpiryAlarm
#   settings:
#     - thresholds.token_expiry_alarm_days
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
	left := days_left(due - input.now)
	status := judge(due - input.now, alarm)
	msg := message(o, kind, left)
	out := lib.finding(status, lib.object_resource(input.vault, o), lib.metric(metric_name, left, ">", alarm), msg)
}

findings[out.resource.id] := out if {
	some id in tokens
	o := input.vault.objects[id]
	not due_dates[id]
	status := no_due_status(o)
	out := lib.finding(status, lib.object_resource(input.vault, o), lib.metric(metric_name, null, ">", data.config.thresholds.token_expiry_alarm_days), no_due_message(status, o))
}

no_due_status(o) := "error" if {
	not expiry_set(o)
	not rotation_time_known(o)
}

no_due_status(o) := "fail" if rotation_time_known(o)

no_due_message("fail", o) := concat("", ["token '", o.path, "' has neither an expiry date nor a rotation interval, so no expiry alarm can fire"])

no_due_message("error", o) := concat("", ["token '", o.path, "' has no expiry date and no known last rotation time (the store keeps none): when its alarm fires is unknown"])

# The date the alarm counts down to: the current version's expiry or scheduled deletion, whichever
# comes first, else (vaults without expiry metadata, such as KV v2) the rotation deadline, last
# rotation + the type's interval.
due_date(o) := [t, kind] if {
	ends := end_dates(lib.current_version(o))
	count(ends) > 0
	t := min({e | some [e, _] in ends})
	kind := min({k | some [e, k] in ends; e == t})
}

due_date(o) := [lib.last_rotated(o) + (days * lib.seconds_per_day), "is due for rotation"] if {
	not expiry_set(o)
	rotation_time_known(o)
	days := classification.vault_rotation_days[o.id]
	is_number(days)
}

end_dates(cv) := {[t, k] | some [field, k] in end_fields; t := object.get(cv, field, null); is_number(t)}

end_fields := [["expires", "expires"], ["deleted_at", "is scheduled for deletion"]]

expiry_set(o) if count(end_dates(lib.current_version(o))) > 0

rotation_time_known(o) if is_number(lib.last_rotated(o))

# Whole seconds left against the alarm window: fires only at most alarm x 86400 s before the end.
judge(seconds, alarm) := "pass" if seconds > alarm * lib.seconds_per_day

judge(seconds, alarm) := "fail" if seconds <= alarm * lib.seconds_per_day

# Days left, rounded up to a tenth so the shown value compares with the alarm as the seconds do.
days_left(seconds) := ceil((seconds * 10) / lib.seconds_per_day) / 10

message(o, kind, left) := concat("", ["token '", o.path, "' ", kind, " in ", lib.num_str(left), " days"]) if left >= 0

message(o, "expires", left) := concat("", ["token '", o.path, "' expired ", lib.num_str(0 - left), " days ago"]) if left < 0

message(o, "is scheduled for deletion", left) := concat("", ["token '", o.path, "' was deleted ", lib.num_str(0 - left), " days ago"]) if left < 0

message(o, "is due for rotation", left) := concat("", ["token '", o.path, "' was due for rotation ", lib.num_str(0 - left), " days ago"]) if left < 0
