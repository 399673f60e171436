# METADATA
# title: Access outside RBAC and suspected compromises are answered by rotation, break-glass and a CAB/security notification
# description: |
#   On secret corruption or unauthorized access the standard rotates the secret immediately,
#   invokes break-glass to issue new secrets, and notifies the CAB/security. "Immediately" is read
#   as within `compromise_response_hours` (default 24). Per vault, each detection in the window
#   (a denied-request group of the `audit` facts, as VP-AUD-004 reports them, and each
#   `suspected-compromise` record naming the vault's objects) must be followed within that time by
#   a rotation record of every secret touched (the vault's objects at the denied path, or those the
#   record names), a break-glass use (on the vault, or naming the incident by incident_id or
#   correlation id) and a `security-notification` (about the vault or the incident). A detection
#   still inside that time passes as not due yet. A vault whose audit log or process records were
#   not read is error (no evidence on record).
# custom:
#   id: VP-PRC-002
#   severity: high
#   control: secrets-management §6 (secret corruption or unauthorized access)
#   metric: CompromiseResponseComplete
#   requirements: [SM-6-d, SM-6-e, SM-6-f]
#   settings:
#     - thresholds.compromise_response_hours
#   remediation: |
#     For each open detection: rotate the secrets touched, invoke break-glass to issue new secrets
#     (record the use with the incident id), notify the CAB and security (security-notification),
#     and record the incident (suspected-compromise) so the response is traceable.
#   references:
#     - "secrets-management §6: secret corruption or unauthorized access: rotate secret immediately, invoke break-glass, issue new secrets, notify CAB/security"
package vaultproof.rules.process.compromise_response

import data.vaultproof.lib
import data.vaultproof.lib.events
import rego.v1

metric_name := "CompromiseResponseComplete"

hours := data.config.thresholds.compromise_response_hours

vault_id := input.vault.id

detections contains d if {
	some k, g in events.section("audit")[vault_id].denied
	d := {
		"what": concat("", ["access outside RBAC by ", g.principal, " on ", g.path]),
		"at": g.last_seen,
		"objects": {o.id | some o in input.vault.objects; o.path == g.path},
		"incident": null,
	}
}

detections contains d if {
	some id, c in events.section("process").compromises
	objs := {oid | some oid, v in c.objects; v == vault_id}
	count(objs) > 0
	d := {"what": concat("", ["suspected compromise ", id]), "at": c.detected_at, "objects": objs, "incident": id}
}

usable if {
	events.section("audit")[vault_id]
	events.section("process")
	not damaged
}

# Detections lacking a field they are judged on: denied groups (principal, path, last_seen) of this
# vault, suspected compromises (detected_at, objects).
damaged if not is_object(events.section("audit")[vault_id].denied)

damaged if {
	some g in events.section("audit")[vault_id].denied
	not events.has_fields(g, ["principal", "path", "last_seen"])
}

damaged if {
	some c in events.section("process").compromises
	not events.has_fields(c, ["detected_at", "objects"])
}

findings[out.resource.id] := out if {
	usable
	judged := [[d, missing(d)] | some d in detections]
	overdue := sort([concat("", [d.what, ": no ", concat(", no ", m)]) | some [d, m] in judged; count(m) > 0; due(d)])
	pending := count([1 | some [d, m] in judged; count(m) > 0; not due(d)])
	ok := count(overdue) == 0
	msg := message(count(detections), pending, overdue)
	out := lib.finding(lib.status_bool(ok), lib.vault_resource(input.vault), lib.metric(metric_name, ok, "==", true), msg)
}

findings[out.resource.id] := out if {
	not usable
	msg := events.no_evidence(concat("", ["the response to access outside RBAC and suspected compromises cannot be checked: ", reason]))
	out := lib.finding("error", lib.vault_resource(input.vault), lib.metric(metric_name, null, "==", true), msg)
}

reason := events.missing_reason("audit") if not events.section("audit")

reason := "no audit log of this vault was read" if {
	events.section("audit")
	not events.section("audit")[vault_id]
}

reason := events.missing_reason("process") if {
	events.section("audit")[vault_id]
	not events.section("process")
}

reason := "a denied-request group or suspected-compromise record lacks fields it is judged on" if {
	events.section("audit")[vault_id]
	events.section("process")
	damaged
}

due(d) if input.now > d.at + (hours * 3600)

# What the detection still lacks, in a fixed order.
missing(d) := [m | some [m, done] in [
	[concat("", ["rotation of ", concat(", ", sort(unrotated(d)))]), count(unrotated(d)) == 0],
	["break-glass use", broke_glass(d)],
	["CAB/security notification", notified(d)],
]; done == false]

unrotated(d) := {object.get(input.vault.objects, id, {"path": id}).path | some id in d.objects; not rotated(id, d.at)}

rotated(id, at) if {
	some r in object.get(object.get(input.events, "rotations", {}), id, {})
	events.within_hours(r.time, at, hours)
}

broke_glass(d) := true if broke_glass_ok(d)

broke_glass(d) := false if not broke_glass_ok(d)

broke_glass_ok(d) if {
	some b in events.section("process").break_glass
	events.within_hours(b.used_at, d.at, hours)
	answers(b, d)
}

answers(b, _) if b.vault == vault_id

answers(b, d) if {
	d.incident != null
	d.incident in {b.incident_id, b.correlation_id}
}

notified(d) := true if notified_ok(d)

notified(d) := false if not notified_ok(d)

notified_ok(d) if {
	some n in events.section("process").notifications
	events.within_hours(n.notified_at, d.at, hours)
	about(n, d)
}

about(n, _) if n.vault == vault_id

about(n, d) if {
	d.incident != null
	n.incident_id == d.incident
}

message(0, _, _) := "no access outside RBAC and no suspected compromise in the window"

message(n, pending, overdue) := concat("", [lib.num_str(n), " detection(s) in the window answered by rotation, break-glass and CAB/security notification", pending_text(pending)]) if {
	n > 0
	count(overdue) == 0
}

message(n, _, overdue) := concat("", [lib.num_str(count(overdue)), " of ", lib.num_str(n), " detection(s) not answered within ", lib.num_str(hours), " hours: ", concat("; ", overdue)]) if count(overdue) > 0

pending_text(0) := ""

pending_text(n) := concat("", [" (", lib.num_str(n), " still within the ", lib.num_str(hours), " hours)"]) if n > 0
