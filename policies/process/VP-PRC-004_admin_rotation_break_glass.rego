# METADATA
# title: Root and admin key rotations are carried out under a break-glass audit event
# description: |
#   Vault root/admin keys are rotated through a break-glass audit event. Every rotation in the window
#   of an admin-key classified object (a version created after the first, as the snapshot shows it)
#   must fall inside a break-glass use's window: a use on the same vault at most
#   `break_glass_window_hours` before the new version, or a use whose correlation id the rotation
#   record carries (the `process` event facts' break-glass uses, from records and audit logs). A
#   rotation outside any break-glass use fails; without usable process records the rotated keys
#   are error (no evidence on record). Keys not rotated in the window are not judged here (their
#   age is VP-ROT-006's); secondary (replica) vaults are not judged.
# custom:
#   id: VP-PRC-004
#   severity: high
#   control: secrets-management §4 (root/admin keys)
#   metric: AdminRotationUnderBreakGlass
#   requirements: [SM-4-i]
#   settings:
#     - thresholds.break_glass_window_hours
#   remediation: |
#     Rotate root/admin keys only through the break-glass procedure (approved break-glass use, then
#     the rotation with the same correlation id), and investigate the rotation made outside it.
#   references:
#     - "secrets-management §4: Vault root/admin keys: 30 days, rotation executed via break-glass audit event"
package vaultproof.rules.process.admin_rotation_break_glass

import data.vaultproof.lib
import data.vaultproof.lib.classification
import data.vaultproof.lib.events
import rego.v1

metric_name := "AdminRotationUnderBreakGlass"

window_hours := data.config.thresholds.break_glass_window_hours

rotated_admin_keys := [[o, rotated] |
	object.get(input.vault, "role", "") != "secondary"
	some o in input.vault.objects
	classification.type_of(o) == "admin-key"
	rotated := events.rotated_versions(o)
	count(rotated) > 0
]

findings[out.resource.id] := out if {
	process := events.section("process")
	some [o, rotated] in rotated_admin_keys
	outside := sort([k | some k, t in rotated; not covered(process, o, k, t)])
	ok := count(outside) == 0
	msg := message(o, rotated, outside)
	out := lib.finding(lib.status_bool(ok), lib.object_resource(input.vault, o), lib.metric(metric_name, ok, "==", true), msg)
}

# Whether an admin key was rotated in the window cannot be told when a version carries no creation time.
findings[out.resource.id] := out if {
	object.get(input.vault, "role", "") != "secondary"
	some o in input.vault.objects
	classification.type_of(o) == "admin-key"
	some v in o.versions
	not is_number(v.created)
	msg := concat("", ["whether admin key '", o.path, "' was rotated in the window cannot be told: its versions carry no creation time"])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "==", true), msg)
}

findings[out.resource.id] := out if {
	not events.section("process")
	some [o, _] in rotated_admin_keys
	msg := concat("", [events.no_evidence("break-glass records are not usable"), " for the rotation(s) of '", o.path, "': ", events.missing_reason("process")])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "==", true), msg)
}

covered(process, _, _, t) if {
	some b in process.break_glass
	b.vault == input.vault.id
	events.within_hours(t, b.used_at, window_hours)
}

covered(process, o, k, _) if {
	c := rotation_correlation(o, k)
	some b in process.break_glass
	b.correlation_id == c
}

rotation_correlation(o, k) := c if {
	c := events.section("rotations")[o.id][k].correlation_id
	is_string(c)
}

message(o, rotated, outside) := concat("", ["'", o.path, "': ", lib.num_str(count(rotated)), " rotation(s) in the window, each inside a break-glass use"]) if count(outside) == 0

message(o, _, outside) := concat("", ["'", o.path, "': version(s) ", concat(", ", outside), " created outside any break-glass use (none on this vault in the ", lib.num_str(window_hours), " hours before, none with the rotation's correlation id)"]) if count(outside) > 0
