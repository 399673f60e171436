# METADATA
# title: On Vault Enterprise, reading a break-glass secret needs a control group of two approvers
# description: |
#   The EmergencyAccess (break-glass) path requires dual control (§3): on HashiCorp Vault Enterprise
#   the server enforces it with a control group (`control_group = { factor "<name>" { identity {
#   group_names = [...] approvals = 2 } } }` on the policy path), so the secret is released only once
#   two approvers have authorised the request. Judged per break-glass KV secret (paths in
#   `break_glass_paths`, or inside such a folder, as VP-ACC-005) on a vault whose edition is
#   Enterprise: in every ACL policy, the path that governs the secret's value read (`<mount>data/<path>`
#   on KV v2, `<mount><path>` on KV v1; within one policy the most specific matching path governs, as
#   Vault's priority rules say) must either not grant `read` or carry a control group with a factor
#   requiring at least `break_glass_min_approvers` approvals that applies to `read` (no
#   `controlled_capabilities`, or `read` among them). A policy reading it without one fails, naming
#   the policy and path. Open-source Vault has no control groups: its break-glass secrets are not
#   judged here (VP-HCV-015 judges the edition of a region's primary). An edition, policy set or
#   mount table that was not read yields error.
# custom:
#   id: VP-HCV-016
#   severity: critical
#   control: secrets-management §3
#   requirements: [SM-3-g]
#   metric: BreakGlassReadsWithoutControlGroup
#   settings:
#     - thresholds.break_glass_paths
#     - thresholds.break_glass_min_approvers
#   remediation: |
#     Give the policy path that reads the break-glass secret a control group requiring two approvers
#     from the approving identity group (`control_group = { factor "approvers" { identity {
#     group_names = ["break-glass-approvers"] approvals = 2 } } }`), or remove `read` on it from
#     policies that must not release it (a more specific path with `deny`, or a narrower glob).
#   references:
#     - "secrets-management §3: EmergencyAccess secret path requiring dual control (two approvers)"
#     - "Vault Enterprise control groups: control_group factors and approvals in ACL policies"
#     - "Vault policies: priority matching of policy paths"
package vaultproof.rules.hashicorp.break_glass_control_group

import data.vaultproof.lib
import data.vaultproof.lib.access
import data.vaultproof.lib.vault_acl
import rego.v1

metric_name := "BreakGlassReadsWithoutControlGroup"

min_approvals := data.config.thresholds.break_glass_min_approvers

# ---- the vault's facts, absent or unread ones told apart ----

facts := h if {
	h := object.get(input.vault, "hashicorp", null)
	is_object(h)
}

facts := {} if not is_object(object.get(input.vault, "hashicorp", null))

enterprise := e if {
	e := object.get(facts, "enterprise", null)
	is_boolean(e)
}

policies := p if {
	p := object.get(facts, "policies", null)
	is_object(p)
}

mounts := m if {
	m := object.get(facts, "mounts", null)
	is_object(m)
}

# ---- break-glass KV secrets and the API path reading their value ----

break_glass_ids contains o.id if {
	input.vault.provider == "hashicorp-vault"
	some o in input.vault.objects
	o.kind == "secret"
	access.break_glass_path(o.path)
}

# The mount holding the secret: the longest mount path prefixing it.
mount_of(path) := mp if {
	holders := {x | some x, _ in mounts; startswith(path, x)}
	n := max({count(x) | some x in holders})
	some mp in holders
	count(mp) == n
}

value_path(o) := concat("", [mp, "data/", substring(o.path, count(mp), -1)]) if {
	mp := mount_of(o.path)
	mounts[mp].kv_version == 2
}

value_path(o) := o.path if {
	mp := mount_of(o.path)
	mounts[mp].kv_version == 1
}

# ---- the judgement ----

# A factor of the rule's control group requires enough approvals and applies to `read`.
dual_control(r) if {
	some f in object.get(object.get(r, "control_group", {}), "factors", [])
	f.approvals >= min_approvals
	applies_to_read(f)
}

applies_to_read(f) if count(object.get(f, "controlled_capabilities", [])) == 0

applies_to_read(f) if "read" in object.get(f, "controlled_capabilities", [])

approvals(r) := max({n | some f in object.get(object.get(r, "control_group", {}), "factors", []); applies_to_read(f); n := f.approvals} | {0})

# "<policy>: <path> (<n> approval(s))" for each policy whose governing path reads the secret without dual control.
unguarded(path) := {concat("", [name, ": ", r.path, " (", lib.num_str(approvals(r)), " approval(s))"]) |
	some name, p in policies
	name != "root"
	some r in vault_acl.governing(p, path)
	"read" in r.capabilities
	not dual_control(r)
}

readers(path) := {name |
	some name, p in policies
	name != "root"
	some r in vault_acl.governing(p, path)
	"read" in r.capabilities
}

findings[out.resource.id] := out if {
	enterprise == true
	is_object(policies)
	some id in break_glass_ids
	o := input.vault.objects[id]
	path := value_path(o)
	bad := unguarded(path)
	status := lib.status_bool(count(bad) == 0)
	msg := message(status, o, path, bad)
	out := lib.finding(status, lib.object_resource(input.vault, o), lib.metric(metric_name, count(bad), "==", 0), msg)
}

findings[out.resource.id] := out if {
	some id in break_glass_ids
	o := input.vault.objects[id]
	why := unjudged(o)
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "==", 0), concat("", ["break-glass secret '", o.path, "': ", why]))
}

# Why a break-glass secret cannot be judged (first law): the edition, the policies or its mount unread.
unjudged(_) := "whether the vault is Vault Enterprise (control groups) could not be read" if not is_boolean(object.get(facts, "enterprise", null))

unjudged(_) := "the ACL policies could not be read" if {
	enterprise == true
	not is_object(object.get(facts, "policies", null))
}

unjudged(o) := "the KV mount holding it (and so the path reading its value) could not be read" if {
	enterprise == true
	is_object(object.get(facts, "policies", null))
	not value_path(o)
}

message("pass", o, path, _) := concat("", [
	"no ACL policy reads break-glass secret '", o.path, "' (", path, ") without a control group of ",
	lib.num_str(min_approvals), " approvers",
]) if count(readers(path)) == 0

message("pass", o, path, _) := concat("", [
	"every ACL policy reading break-glass secret '", o.path, "' (", path, ") requires a control group of at least ",
	lib.num_str(min_approvals), " approvers: ", concat(", ", sort(readers(path))),
]) if count(readers(path)) > 0

message("fail", o, path, bad) := concat("", [
	"break-glass secret '", o.path, "' (", path, ") is read without a control group of ", lib.num_str(min_approvals),
	" approvers by ", concat("; ", sort(bad)),
])
