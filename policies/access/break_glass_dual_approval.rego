# METADATA
# title: Break-glass use has dual approval before use and rotation after
# description: |
#   The EmergencyAccess (break-glass) credential may be used only with two distinct approvers
#   recorded before the first use (the user does not count as an approver), and it must be rotated
#   right after use (within `break_glass_rotation_hours`; a newer object version or a recorded
#   rotation counts). Judged per break-glass object (paths in `break_glass_paths`) over its uses in
#   the event window; no use in the window passes. Needs the `break_glass` event facts: without
#   them every break-glass object yields error.
# custom:
#   id: VP-ACC-005
#   severity: critical
#   control: secrets-management §3, §7.4
#   metric: BreakGlassDualApproval
#   remediation: |
#     Treat the use as an incident: record the missing approvals retroactively with the CAB, rotate
#     the credential now, and enforce the approval workflow (e.g. PIM with two approvers, or Vault
#     control groups) before the secret can be read.
#   references:
#     - "secrets-management §3: break-glass requires dual control and immediate rotation"
#     - "secrets-management §7.4: dual approval record stored before the secret is used"
package vaultproof.rules.access.break_glass_dual_approval

import data.vaultproof.lib
import data.vaultproof.lib.events
import rego.v1

metric_name := "BreakGlassDualApproval"

break_glass(o) if {
	some pattern in data.config.thresholds.break_glass_paths
	glob.match(pattern, ["/"], o.path)
}

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
	unrotated := {u.id | some u in uses; not rotated(o, u)}
	ok := count(unapproved | unrotated) == 0
	status := lib.status_bool(ok)
	msg := message(o, count(uses), unapproved, unrotated)
	out := lib.finding(status, lib.object_resource(v, o), lib.metric(metric_name, ok, "==", true), msg)
}

findings[out.resource.id] := out if {
	v := input.vault
	some id in break_glass_ids
	o := v.objects[id]
	not events.section("break_glass")
	msg := concat("", ["break-glass use of '", o.path, "' cannot be checked: ", events.missing_reason("break_glass")])
	out := lib.finding("error", lib.object_resource(v, o), lib.metric(metric_name, null, "==", true), msg)
}

dual_approved(u) if {
	approvers := {a.approver | some a in u.approvals; a.approved_at <= u.used_at; a.approver != u.actor}
	count(approvers) >= data.config.thresholds.break_glass_min_approvers
}

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

message(o, 0, _, _) := concat("", ["no use of break-glass credential '", o.path, "' in the window"])

message(o, n, unapproved, unrotated) := concat("", [
	lib.num_str(n), " use(s) of '", o.path, "': each had two approvers before use and was followed by rotation",
]) if {
	n > 0
	count(unapproved | unrotated) == 0
}

message(o, n, unapproved, unrotated) := concat("", [
	lib.num_str(n), " use(s) of '", o.path, "': ", lib.num_str(count(unapproved)),
	" without dual approval before use, ", lib.num_str(count(unrotated)), " not rotated after use (",
	concat(", ", sort(unapproved | unrotated)), ")",
]) if count(unapproved | unrotated) > 0
