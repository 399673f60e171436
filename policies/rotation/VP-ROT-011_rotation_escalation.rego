# METADATA
# title: Credentials left expired for more than 24 hours are escalated to the CAB
# description: |
#   When the rotation job fails the secret expires; if that is not resolved within 24 hours it is
#   escalated to the CAB. Every enabled object whose current version expired more than
#   `rotation_escalation_hours` ago must have a CAB escalation raised after the expiry (the
#   `escalations` event facts). Expired less than that ago passes (not due yet); objects that have
#   not expired are not judged. Without usable escalation records, overdue objects yield error.
#   Secondary (replica) vaults are not judged: the credential is rotated, and escalated, on its
#   primary.
# custom:
#   id: VP-ROT-011
#   severity: high
#   control: secrets-management §6 (rotation job failure)
#   requirements: [SM-6-k]
#   metric: RotationEscalation
#   settings:
#     - thresholds.rotation_escalation_hours
#   remediation: |
#     Raise the CAB escalation for the expired credential now, rotate it, and fix the rotation
#     job's alerting so an expiry open for 24 hours escalates automatically.
#   references:
#     - "secrets-management §6: if not resolved within 24h, escalate to CAB"
package vaultproof.rules.rotation.rotation_escalation

import data.vaultproof.lib
import rego.v1

metric_name := "RotationEscalation"

limit_seconds := data.config.thresholds.rotation_escalation_hours * 3600

# An array: each object appears once, and a set would hash every whole object.
expired := [[o, cv.expires] |
	input.vault.role != "secondary"
	some o in input.vault.objects
	o.enabled == true
	cv := lib.current_version(o)
	is_number(cv.expires)
	cv.expires <= input.now
]

findings[out.resource.id] := out if {
	some [o, expires] in expired
	input.now - expires <= limit_seconds
	msg := concat("", ["'", o.path, "' expired ", hours(expires), " hours ago; escalation is due after ", lib.num_str(data.config.thresholds.rotation_escalation_hours), " hours"])
	out := lib.finding("pass", lib.object_resource(input.vault, o), lib.metric(metric_name, true, "==", true), msg)
}

findings[out.resource.id] := out if {
	escalations := data.vaultproof.lib.events.section("escalations")
	some [o, expires] in expired
	input.now - expires > limit_seconds
	ok := escalated(escalations, o.id, expires)
	status := lib.status_bool(ok)
	msg := message(o, expires, escalations, ok)
	out := lib.finding(status, lib.object_resource(input.vault, o), lib.metric(metric_name, ok, "==", true), msg)
}

findings[out.resource.id] := out if {
	not data.vaultproof.lib.events.section("escalations")
	some [o, expires] in expired
	input.now - expires > limit_seconds
	msg := concat("", ["'", o.path, "' expired ", hours(expires), " hours ago; escalation cannot be checked: ", data.vaultproof.lib.events.missing_reason("escalations")])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "==", true), msg)
}

escalated(escalations, id, expires) := true if raised_after(escalations, id, expires)

escalated(escalations, id, expires) := false if not raised_after(escalations, id, expires)

raised_after(escalations, id, expires) if escalations[id].raised_at >= expires

hours(expires) := lib.num_str(floor((input.now - expires) / 3600))

message(o, expires, escalations, true) := concat("", ["'", o.path, "' expired ", hours(expires), " hours ago and was escalated to the CAB (", escalations[o.id].ticket, ")"])

message(o, expires, _, false) := concat("", ["'", o.path, "' expired ", hours(expires), " hours ago and no CAB escalation is on record"])
