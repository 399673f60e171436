# METADATA
# title: Every principal holding access was active in the review window
# description: |
#   Every principal that is not a group and holds access (a grant of its own, or, in Azure, one of
#   a group it belongs to) must show a request in the event window (`events.principal_activity`,
#   filled from the audit logs). No request fails only when the audit log of every vault it holds
#   access on was read (`events.audit` names the vault) and no audit source is incomplete; else its
#   activity cannot be judged (error). Without `events.principal_activity` every such principal is
#   error. Shown in the access review.
# custom:
#   id: VP-REV-002
#   severity: medium
#   control: secrets-management §3 (Validation)
#   requirements: [SM-3-i]
#   metric: PrincipalActiveInWindow
#   settings: []
#   remediation: >-
#     Confirm with the owner whether the identity is still needed; revoke its grants (and disable
#     the identity) if not.
#   references:
#     - "secrets-management §3: monthly VaultAccessReview ensures least privilege"
package vaultproof.rules.review.principal_active_in_window

import data.vaultproof.lib
import data.vaultproof.lib.access
import data.vaultproof.lib.dates
import rego.v1

metric_name := "PrincipalActiveInWindow"

group_types := {"group", "vault-group"}

# Principals holding access that are not groups (a group makes no request of its own), with the
# vaults they hold it on.
holder_vaults[pid] := vaults if {
	some pid, vaults in access.held_vaults
	not group_types[input.principals[pid].type]
}

window_days := round((input.events.window.to - input.events.window.from) / 86400)

findings[out.resource.id] := out if {
	some pid, _ in holder_vaults
	p := input.principals[pid]
	not activity_section
	why := no_activity_reason
	msg := concat("", ["activity of '", p.display_name, "' cannot be checked: ", why])
	out := lib.finding("error", access.principal_resource(p), lib.metric(metric_name, null, "==", true), msg)
}

findings[out.resource.id] := out if {
	some pid, _ in holder_vaults
	p := input.principals[pid]
	a := activity_section[pid]
	active(a)
	msg := concat("", ["'", p.display_name, "' made ", lib.num_str(a.operations), " request(s) in the ", lib.num_str(window_days), "-day window, last ", dates.date_of(a.last_seen)])
	out := lib.finding("pass", access.principal_resource(p), lib.metric(metric_name, true, "==", true), msg)
}

findings[out.resource.id] := out if {
	some pid, vaults in holder_vaults
	p := input.principals[pid]
	activity_section
	not active(object.get(activity_section, pid, null))
	why := unjudged_reason(vaults)
	msg := concat("", ["'", p.display_name, "' made no request seen in the ", lib.num_str(window_days), "-day window, but its activity cannot be judged: ", why])
	out := lib.finding("error", access.principal_resource(p), lib.metric(metric_name, null, "==", true), msg)
}

findings[out.resource.id] := out if {
	some pid, vaults in holder_vaults
	p := input.principals[pid]
	activity_section
	not active(object.get(activity_section, pid, null))
	not unjudged_reason(vaults)
	a := object.get(activity_section, pid, {})
	msg := concat("", ["'", p.display_name, "' holds access but made no request in the ", lib.num_str(window_days), "-day window", last_seen(a)])
	out := lib.finding("fail", access.principal_resource(p), lib.metric(metric_name, false, "==", true), msg)
}

activity_section := input.events.principal_activity if is_object(input.events.principal_activity)

no_activity_reason := "the snapshot carries no event facts" if not is_object(input.events)

no_activity_reason := "the event facts carry no principal_activity section" if is_object(input.events)

active(a) if {
	is_number(a.last_seen)
	a.last_seen >= input.events.window.from
	a.operations > 0
}

# Why a principal's missing requests prove nothing: an audit source is incomplete, or the audit
# log of one of its vaults was not read.
unjudged_reason(_) := concat("", ["audit source(s) ", concat(", ", sort(incomplete_audit_sources)), " could not be read completely"]) if count(incomplete_audit_sources) > 0

unjudged_reason(vaults) := concat("", ["the audit log of ", concat(", ", [name | some v in sort(unread); name := object.get(input.vaults, v, {"name": v}).name]), " was not read"]) if {
	count(incomplete_audit_sources) == 0
	unread := {v | some v in vaults; not audited(v)}
	count(unread) > 0
}

incomplete_audit_sources := {s.id | some s in object.get(input.events, "sources", []); "audit" in s.sections; s.status != "complete"}

audited(v) if {
	is_object(input.events.audit)
	_ = input.events.audit[v]
}

last_seen(a) := concat("", [" (last seen ", dates.date_of(a.last_seen), ")"]) if seen_at(a)

last_seen(a) := "" if not seen_at(a)

seen_at(a) if {
	is_number(a.last_seen)
	a.last_seen != 0
}
