# METADATA
# description: |
#   HashiCorp Vault ACL facts: admin policies (names matching `admin_policies`, plus the built-in
#   root), write capabilities, wildcard paths, KV mounts, and the resource of a policy or role.
package vaultproof.lib.hashicorp

import rego.v1

write_capabilities := {"create", "update", "patch", "delete"}

admin_policy(name) if name == "root"

admin_policy(name) if {
	some pattern in data.config.thresholds.admin_policies
	glob.match(pattern, [], name)
}

# Policies of the vault under evaluation (HashiCorp Vault only).
policies contains p if {
	input.vault.provider == "hashicorp-vault"
	some p in input.vault.hashicorp.policies
	p.name != "root"
}

non_admin_policies contains p if {
	some p in policies
	not admin_policy(p.name)
}

writes(rule) if {
	some c in rule.capabilities
	write_capabilities[c]
}

wildcard(path) if contains(path, "*")

wildcard(path) if contains(path, "+")

kv_mount_types := {"kv", "generic"}

# The rule's path can reach a KV mount: the mount holding its literal head (the part before the
# first `*` or `+`) is KV, looked up by the longest mount path, so multi-segment mounts
# (`team/kv/`) count; or a wildcard reaches into a KV mount below its head (`team/*`, `+/...`).
on_kv_mount(path) if mount_type(longest_mount(literal_head(path))) in kv_mount_types

on_kv_mount(path) if {
	head := literal_head(path)
	head != path
	some mp, m in input.vault.hashicorp.mounts
	m.type in kv_mount_types
	startswith(mp, head)
}

mount_type(mp) := input.vault.hashicorp.mounts[mp].type

# The path up to its first glob character (`*`, or a `+` segment wildcard).
literal_head(path) := substring(path, 0, n) if {
	n := min({i | some i in [indexof(path, "*"), indexof(path, "+")]; i >= 0})
}

literal_head(path) := path if {
	indexof(path, "*") < 0
	indexof(path, "+") < 0
}

# The mount holding a path: the longest mount path that prefixes it (one by construction: two
# prefixes of one path with the same length are the same string).
longest_mount(path) := mp if {
	holders := {x | some x, _ in input.vault.hashicorp.mounts; startswith(path, x)}
	n := max({count(x) | some x in holders})
	some mp in holders
	count(mp) == n
}

policy_resource(p) := {
	"provider": "hashicorp-vault", "vault": input.vault.name, "type": "policy",
	"id": concat(":", [input.vault.id, "policy", p.name]), "path": concat("", ["sys/policies/acl/", p.name]),
}
