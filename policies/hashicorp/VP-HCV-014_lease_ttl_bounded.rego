# METADATA
# title: Vault lease TTLs are bounded on the system and on every mount
# description: |
#   A lease (a dynamic credential, a token from an auth method) lives as long as its mount's
#   `max_lease_ttl` allows, or the system's when the mount sets 0, and Vault's built-in system
#   maximum is 768h. The system default and maximum lease TTLs (`sys/config/state/sanitized`) and
#   the effective default and maximum of every secrets engine mount (`sys/mounts`) and auth method
#   mount (`sys/auth`) must be at most `max_lease_ttl_seconds`. The system's own mounts (sys,
#   identity, cubbyhole) issue no leases and are not judged. A TTL that could not be read, on a mount
#   or on the system a mount falls back to, yields error.
# custom:
#   id: VP-HCV-014
#   severity: medium
#   control: HashiCorp Vault production hardening (peer); secrets-management §4 (short-lived credentials)
#   requirements: []
#   beyond_standard: true
#   metric: LeaseTtlProblems
#   settings:
#     - thresholds.max_lease_ttl_seconds
#   remediation: |
#     Lower the mount's TTLs (`vault secrets tune -max-lease-ttl=24h <mount>`,
#     `vault auth tune -max-lease-ttl=24h <method>`) or the system's (`max_lease_ttl` and
#     `default_lease_ttl` in the server configuration).
#   references:
#     - "Vault production hardening: short TTLs (default_lease_ttl, max_lease_ttl)"
package vaultproof.rules.hashicorp.lease_ttl_bounded

import data.vaultproof.lib
import rego.v1

metric_name := "LeaseTtlProblems"

limit := data.config.thresholds.max_lease_ttl_seconds

# Vault's built-in system default and maximum (768h) when the configuration sets 0.
builtin_ttl := 2764800

not_judged_types := {"system", "identity", "cubbyhole"}

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "hashicorp-vault"
	judged := [m | some m in mounts(v)]
	problems := {p | some m in judged; some p in mount_problems(v, m)} | {p | some p in system_problems(v)}
	unread := {u | some m in judged; some u in mount_unread(v, m)} | {u | some u in system_unread(v)}
	status := judge(count(problems), count(unread))
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, value(status, count(problems)), "<=", 0), message(status, judged, problems, unread))
}

judge(problems, _) := "fail" if problems > 0

judge(0, unread) := "error" if unread > 0

judge(0, 0) := "pass"

value("error", _) := null

value(status, n) := n if status != "error"

# Secrets engine mounts (by path) and auth mounts (auth/<path>).
mounts(v) := array.concat(
	[{"name": mp, "m": m} | some mp, m in v.hashicorp.mounts; not not_judged_types[m.type]],
	[{"name": concat("", ["auth/", ap]), "m": a} | some ap, a in auth_mounts(v)],
)

auth_mounts(v) := a if {
	a := object.get(v.hashicorp, "auth_mounts", null)
	is_object(a)
}

auth_mounts(v) := {} if not is_object(object.get(v.hashicorp, "auth_mounts", null))

system_ttl(v, key) := t if {
	t := object.get(object.get(v.hashicorp, "server_config", {}), key, null)
	is_number(t)
}

effective_system(v, key) := builtin_ttl if system_ttl(v, key) == 0

effective_system(v, key) := system_ttl(v, key) if system_ttl(v, key) > 0

effective(_, m, key) := m.m[key] if m.m[key] > 0

effective(v, m, key) := effective_system(v, key) if m.m[key] == 0

names := {"default_lease_ttl": "default", "max_lease_ttl": "max"}

mount_problems(v, m) := {p |
	some key, label in names
	t := effective(v, m, key)
	t > limit
	p := concat("", [m.name, ": ", label, " lease TTL ", lib.num_str(t), " s", inherited(m, key)])
}

inherited(m, key) := " (the system's)" if m.m[key] == 0

inherited(m, key) := "" if m.m[key] > 0

system_problems(v) := {p |
	some key, label in names
	t := effective_system(v, key)
	t > limit
	p := concat("", ["system ", label, " lease TTL ", lib.num_str(t), " s"])
}

mount_unread(_, m) := {u |
	some key, _ in names
	not is_number(m.m[key])
	u := concat("", ["the lease TTLs of ", m.name])
}

system_unread(v) := {"the system lease TTLs (sys/config/state/sanitized)" | some key, _ in names; not system_ttl(v, key)} | {"the auth mounts (sys/auth)" | not is_object(object.get(v.hashicorp, "auth_mounts", null))}

message("pass", judged, _, _) := concat("", ["the system and ", lib.num_str(count(judged)), " mount(s) keep leases at most ", lib.num_str(limit), " s"])

message("fail", _, problems, _) := concat("", ["over ", lib.num_str(limit), " s: ", concat("; ", sort(problems))])

message("error", _, _, unread) := concat("", ["could not be read: ", concat(", ", sort(unread))])
