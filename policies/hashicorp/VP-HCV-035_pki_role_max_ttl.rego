# METADATA
# title: Vault PKI roles issue certificates within the certificate interval
# description: |
#   A PKI role's `max_ttl` bounds every certificate issued through it; VP-HCV-007 finds a leaf that
#   outlived `pki_leaf_max_age_days` only after it was issued. Every role of every PKI mount
#   (`<pki>/roles/<name>`) must have an effective maximum TTL of at most `pki_leaf_max_age_days`
#   days: its `max_ttl`, or when that is 0 the mount's `max_lease_ttl`, then the system's, then
#   Vault's built-in 768h. A PKI mount without roles passes. A mount whose roles were not read (or
#   not walked), a role whose `max_ttl` was not read, or a fallback TTL that was not read yields
#   error.
# custom:
#   id: VP-HCV-035
#   severity: medium
#   control: secrets-management §4 (certificates renewed within 90 days); HashiCorp Vault production hardening (peer)
#   requirements: [SM-4-a]
#   metric: PkiRolesOverInterval
#   settings:
#     - thresholds.pki_leaf_max_age_days
#   remediation: |
#     Lower the role's maximum TTL (`vault write <pki>/roles/<name> max_ttl=2160h ...`, keeping its
#     other settings), or the mount's (`vault secrets tune -max-lease-ttl=2160h <pki>`).
#   references:
#     - "Vault PKI secrets engine: roles, max_ttl; considerations: short-lived certificates"
#     - "Vault production hardening: short TTLs"
package vaultproof.rules.hashicorp.pki_role_max_ttl

import data.vaultproof.lib
import rego.v1

metric_name := "PkiRolesOverInterval"

limit_days := data.config.thresholds.pki_leaf_max_age_days

limit := limit_days * 86400

builtin_ttl := 2764800

pki_mounts(v) := {mp | some mp, m in v.hashicorp.mounts; m.type == "pki"}

roles_of(v, mp) := r if {
	r := object.get(object.get(v.hashicorp, "pki_roles", {}), mp, null)
	is_object(r)
}

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "hashicorp-vault"
	mounts := pki_mounts(v)
	count(mounts) > 0
	judged := [[mp, name, role] | some mp in mounts; some name, role in roles_of(v, mp)]
	problems := {concat("", [mp, "roles/", name, ": max TTL ", lib.num_str(t), " s"]) | some [mp, name, role] in judged; t := effective(v, mp, role); t > limit}
	unread := {u | some mp in mounts; not roles_of(v, mp); u := concat("", ["the roles of ", mp])} | {u | some [mp, name, role] in judged; not effective(v, mp, role); u := concat("", ["the max TTL of ", mp, "roles/", name])}
	status := judge(count(problems), count(unread))
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, value(status, count(problems)), "<=", 0), message(status, judged, problems, unread))
}

# A HashiCorp vault whose mount table was not read (no facts, or no mounts): its PKI roles are unknown.
findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "hashicorp-vault"
	not is_object(object.get(object.get(v, "hashicorp", {}), "mounts", null))
	msg := "could not be read: the mount table (sys/mounts), so which PKI roles exist is unknown"
	out := lib.finding("error", lib.vault_resource(v), lib.metric(metric_name, null, "<=", 0), msg)
}

judge(problems, _) := "fail" if problems > 0

judge(0, unread) := "error" if unread > 0

judge(0, 0) := "pass"

value("error", _) := null

value(status, n) := n if status != "error"

effective(_, _, role) := role.max_ttl if role.max_ttl > 0

effective(v, mp, role) := mount_max(v, mp) if role.max_ttl == 0

mount_max(v, mp) := v.hashicorp.mounts[mp].max_lease_ttl if v.hashicorp.mounts[mp].max_lease_ttl > 0

mount_max(v, mp) := system_max(v) if v.hashicorp.mounts[mp].max_lease_ttl == 0

system_max(v) := t if {
	t := object.get(object.get(v.hashicorp, "server_config", {}), "max_lease_ttl", null)
	is_number(t)
	t > 0
}

system_max(v) := builtin_ttl if object.get(object.get(v.hashicorp, "server_config", {}), "max_lease_ttl", null) == 0

message("pass", judged, _, _) := concat("", [lib.num_str(count(judged)), " PKI role(s) issue certificates for at most ", lib.num_str(limit_days), " days"])

message("fail", _, problems, _) := concat("", ["over ", lib.num_str(limit_days), " days (", lib.num_str(limit), " s): ", concat("; ", sort(problems))])

message("error", _, _, unread) := concat("", ["could not be read: ", concat(", ", sort(unread))])
