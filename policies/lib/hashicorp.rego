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

# The rule's path lies on a KV mount (or spans every mount).
on_kv_mount(path) if {
	first := split(path, "/")[0]
	m := input.vault.hashicorp.mounts[concat("", [first, "/"])]
	m.type == "kv"
}

on_kv_mount(path) if startswith(path, "*")

on_kv_mount(path) if startswith(path, "+")

policy_resource(p) := {
	"provider": "hashicorp-vault", "vault": input.vault.name, "type": "policy",
	"id": concat(":", [input.vault.id, "policy", p.name]), "path": concat("", ["sys/policies/acl/", p.name]),
}
