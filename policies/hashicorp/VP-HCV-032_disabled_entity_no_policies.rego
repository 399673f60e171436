# METADATA
# title: Disabled Vault identity entities hold no policies
# description: |
#   Disabling an entity (`identity/entity/id/:id`, `disabled=true`) stops its tokens for now, but
#   its policies come back the moment anyone re-enables it: an off-boarded identity keeps nothing.
#   Every Vault identity entity that holds a grant on this vault (a policy of its own or of a group
#   it belongs to) is judged: a disabled one fails. Entities without any grant are not part of the
#   vault's input and are not judged. An entity whose disabled flag was not read (no tags in the
#   principal) yields error.
# custom:
#   id: VP-HCV-032
#   severity: medium
#   control: secrets-management §3 (access review, off-boarding); HashiCorp Vault identity (peer)
#   requirements: [SM-3-i]
#   metric: DisabledEntityGrants
#   remediation: |
#     Remove the entity's policies (`vault write identity/entity/id/<id> policies=""`), take it out
#     of its groups, or delete the entity once its owner has left (`vault delete identity/entity/id/<id>`).
#   references:
#     - "Vault identity secrets engine: entities, disabled entities and policies"
#     - "Vault production hardening: least privilege, remove unused identities"
package vaultproof.rules.hashicorp.disabled_entity_no_policies

import data.vaultproof.lib
import rego.v1

metric_name := "DisabledEntityGrants"

entity_grants[pid] contains g.id if {
	input.vault.provider == "hashicorp-vault"
	some g in input.grants
	g.vault == input.vault.id
	pid := g.principal
	input.principals[pid].type == "vault-entity"
}

resource(p) := {"provider": "hashicorp-vault", "vault": input.vault.name, "type": "principal", "id": p.id, "path": concat("", ["identity/entity/", p.display_name])}

tags_read(p) if is_object(p.tags)

disabled(p) if p.tags.disabled == "true"

findings[out.resource.id] := out if {
	some pid, ids in entity_grants
	p := input.principals[pid]
	tags_read(p)
	n := count(disabled_grants(p, ids))
	status := lib.status_le(n, 0)
	out := lib.finding(status, resource(p), lib.metric(metric_name, n, "<=", 0), message(p, count(ids), n))
}

findings[out.resource.id] := out if {
	some pid, _ in entity_grants
	p := input.principals[pid]
	not tags_read(p)
	msg := concat("", ["whether entity '", p.display_name, "' is disabled was not read"])
	out := lib.finding("error", resource(p), lib.metric(metric_name, null, "<=", 0), msg)
}

disabled_grants(p, ids) := ids if disabled(p)

disabled_grants(p, _) := set() if not disabled(p)

message(p, total, 0) := concat("", ["entity '", p.display_name, "' is enabled (", lib.num_str(total), " grant(s))"])

message(p, _, n) := concat("", ["entity '", p.display_name, "' is disabled but still holds ", lib.num_str(n), " grant(s) from its policies"]) if n > 0
