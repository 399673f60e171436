# METADATA
# title: Break-glass use has dual approval before use and rotation after
# description: |
#   The EmergencyAccess (break-glass) credential may be used only with two distinct approvers
#   recorded before the first use (the user does not count as an approver), and it must be rotated
#   right after use (within `break_glass_rotation_hours`; a newer object version or a recorded
#   rotation counts). Judged per break-glass object (paths in `break_glass_paths`) over its uses in
#   the event window; no use in the window passes. An object inside a break-glass folder
#   (`project/EmergencyAccess/db-password`) is a break-glass object. Approvers and the user are
#   compared trimmed and case-insensitively; a use that names no user cannot show its approvers are
#   others than the user and yields error (when it fails nothing else). Needs the `break_glass`
#   event facts: without them every break-glass object yields error.
# custom:
#   id: VP-ACC-005
#   severity: critical
#   control: secrets-management §3, §7.4
#   requirements: [SM-3-g, SM-3-h, SM-7.4-a]
#   metric: BreakGlassDualApproval
#   settings:
#     - thresholds.break_glass_paths
#     - thresholds.break_glass_min_approvers
#     - thresholds.break_glass_rotation_hours
#     - thresholds.event_window_days
#   remediation: |
#     Treat the use as an incident: record the missing approvals retroactively with the CAB, rotate
#     the credential now, and enforce the approval workflow (e.g. PIM with two approvers, or Vault
#     control groups) before the secret can be read.
#   references:
#     - "secrets-management §3: break-glass requires dual control and immediate rotation"
#     - "secrets-management §7.4: dual approval record stored before the secret is used"
package vaultproof.rules.access.break_glass_dual_approval

import data.vaultproof.lib
import data.vaultproof.lib.access
import data.vaultproof.lib.events
import rego.v1

metric_name := "BreakGlassDualApproval"

# On a break-glass path, or inside a break-glass folder (lib.access.break_glass_path).
break_glass(o) if access.break_glass_path(o.path)

# Ids of the vault's objects on a break-glass path, matched once per evaluation (both finding rules
# asked, per object and per pattern).
break_glass_ids contains o.id if {
	some o in input.vault.objects
	break_glass(o)
}

findings[out.resource.id] := out if {
	v := input.vault
	some id in break_glass_ids
	o := v.objects[id]
	recorded := events.section("break_glass")
	uses := {u | some u in object.get(recorded, o.id, {}); events.in_window(u.used_at)}
	unapproved := {u.id | some u in uses; not dual_approved(u)}
	unattributed := {u.id | some u in uses; not attributed(u); enough_approvers(approvers_of(u, ""))}
	unrotated := {u.id | some u in uses; not rotated(o, u)}
	status := use_status(unapproved | unrotated, unattributed)
	msg := message(o, count(uses), unapproved, unrotated, unattributed)
	out := lib.finding(status, lib.object_resource(v, o), lib.metric(metric_name, metric_value(status), "==", true), msg)
}

findings[out.resource.id] := out if {
	v := input.vault
	some id in break_glass_ids
	o := v.objects[id]
	not events.section("break_glass")
	msg := concat("", ["break-glass use of '", o.path, "' cannot be checked: ", events.missing_reason("break_glass")])
	out := lib.finding("error", lib.object_resource(v, o), lib.metric(metric_name, null, "==", true), msg)
}

# Identities compared normalised (trimmed, case-insensitive): `alice` and ` Alice` are one
# approver, and the user of the credential does not count as an approver whatever the case.
identity(x) := lower(trim_space(x)) if is_string(x)

attributed(u) if identity(u.actor) != ""

# Distinct approvers who approved before the use, other than the user.
approvers_of(u, user) := {a |
	some ap in u.approvals
	is_number(ap.approved_at)
	ap.approved_at <= u.used_at
	a := identity(ap.approver)
	a != ""
	a != user
}

enough_approvers(approvers) if count(approvers) >= data.config.thresholds.break_glass_min_approvers

dual_approved(u) if {
	user := identity(u.actor)
	user != ""
	enough_approvers(approvers_of(u, user))
}

# A use naming no user with enough approvers otherwise: whether the user approved their own use
# cannot be told (error); with too few approvers it fails anyway.
dual_approved(u) if {
	not attributed(u)
	enough_approvers(approvers_of(u, ""))
}

use_status(failed, _) := "fail" if count(failed) > 0

use_status(failed, unattributed) := "error" if {
	count(failed) == 0
	count(unattributed) > 0
}

use_status(failed, unattributed) := "pass" if count(failed | unattributed) == 0

metric_value("pass") := true

metric_value("fail") := false

metric_value("error") := null

rotation_limit := data.config.thresholds.break_glass_rotation_hours * 3600

# Rotated after the use, within the limit: by the records or by a newer version.
rotated(_, u) if {
	u.rotated_at != null
	u.rotated_at >= u.used_at
	u.rotated_at - u.used_at <= rotation_limit
}

rotated(o, u) if {
	some ver in o.versions
	ver.created > u.used_at
	ver.created - u.used_at <= rotation_limit
}

# Still inside the rotation limit: not due yet.
rotated(_, u) if input.now - u.used_at < rotation_limit

message(o, 0, _, _, _) := concat("", ["no use of break-glass credential '", o.path, "' in the window"])

message(o, n, unapproved, unrotated, unattributed) := concat("", [
	lib.num_str(n), " use(s) of '", o.path, "': each had two approvers before use and was followed by rotation",
]) if {
	n > 0
	count(((unapproved | unrotated) | unattributed)) == 0
}

message(o, n, unapproved, unrotated, _) := concat("", [
	lib.num_str(n), " use(s) of '", o.path, "': ", lib.num_str(count(unapproved)),
	" without dual approval before use, ", lib.num_str(count(unrotated)), " not rotated after use (",
	concat(", ", sort(unapproved | unrotated)), ")",
]) if count(unapproved | unrotated) > 0

message(o, n, unapproved, unrotated, unattributed) := concat("", [
	lib.num_str(n), " use(s) of '", o.path, "': use(s) ", concat(", ", sort(unattributed)),
	" name no user, so the approvers cannot be shown to be others than the user",
]) if {
	count(unapproved | unrotated) == 0
	count(unattributed) > 0
}
