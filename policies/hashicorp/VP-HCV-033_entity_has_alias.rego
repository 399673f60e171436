# METADATA
# title: Vault identity entities holding policies have an alias
# description: |
#   An entity nobody can log in as (no alias on any auth method) but that still holds policies is an
#   off-boarding leftover: its alias was deleted with the user or role, its grants were not. Every
#   Vault identity entity that holds a grant on this vault (a policy of its own or of a group it
#   belongs to) must have at least one alias (`aliases` of `identity/entity/id/:id`, collected as
#   the entity's auth methods). Entities without any grant are not part of the vault's input and
#   are not judged. An entity whose aliases were not read (no auth methods in the principal)
#   yields error.
# custom:
#   id: VP-HCV-033
#   severity: low
#   control: secrets-management §3 (access review, off-boarding); HashiCorp Vault identity (peer)
#   requirements: [SM-3-i]
#   metric: EntityAliasCount
#   remediation: |
#     Delete the entity (`vault delete identity/entity/id/<id>`) or, if it is still in use, remove
#     its policies and re-create its alias on the auth method its owner logs in with.
#   references:
#     - "Vault identity secrets engine: entities and aliases"
#     - "Vault production hardening: least privilege, remove unused identities"
package vaultproof.rules.hashicorp.entity_has_alias

import data.vaultproof.lib
import rego.v1

metric_name := "EntityAliasCount"

entities contains pid if {
	input.vault.provider == "hashicorp-vault"
	some g in input.grants
	g.vault == input.vault.id
	pid := g.principal
	input.principals[pid].type == "vault-entity"
}

resource(p) := {"provider": "hashicorp-vault", "vault": input.vault.name, "type": "principal", "id": p.id, "path": concat("", ["identity/entity/", p.display_name])}

aliases_read(p) if is_array(p.auth_methods)

findings[out.resource.id] := out if {
	some pid in entities
	p := input.principals[pid]
	aliases_read(p)
	n := count(p.auth_methods)
	status := lib.status_bool(n > 0)
	out := lib.finding(status, resource(p), lib.metric(metric_name, n, ">=", 1), message(p, n))
}

findings[out.resource.id] := out if {
	some pid in entities
	p := input.principals[pid]
	not aliases_read(p)
	msg := concat("", ["the aliases of entity '", p.display_name, "' were not read"])
	out := lib.finding("error", resource(p), lib.metric(metric_name, null, ">=", 1), msg)
}

message(p, 0) := concat("", ["entity '", p.display_name, "' holds policies but has no alias on any auth method"])

message(p, n) := concat("", ["entity '", p.display_name, "' has aliases on ", concat(", ", p.auth_methods)]) if n > 0
