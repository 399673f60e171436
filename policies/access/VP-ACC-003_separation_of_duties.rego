# METADATA
# title: No principal can use both signing keys and publish credentials
# description: |
#   Packaging pipelines may use signing keys but must not reach production publish credentials;
#   publishers have their own vault policies. Evaluated in the fleet pass across every vault: the
#   credential types a principal can use (read the value, sign or decrypt) through its own grants
#   and those of the groups it belongs to are collected, and each conflicting pair of types in the
#   config (`separation_of_duties`, by default signing-key vs publish-credential) must not both be
#   present. Principals that can use neither side of any pair are not judged. The credential types
#   each grant can use are classified in its vault's shard (lib.fleet_facts) and reach the fleet
#   pass as `input.grant_types`.
# custom:
#   id: VP-ACC-003
#   severity: critical
#   control: secrets-management §3
#   requirements: [SM-3-c, SM-3-d]
#   metric: SeparationOfDuties
#   settings:
#     - thresholds.separation_of_duties
#   remediation: |
#     Split the role: keep signing (Crypto User on the signing keys) with the packaging pipeline and
#     give publish credentials to a separate publisher identity; remove the grant that joins them.
#   references:
#     - "secrets-management §3: SoD enforcement (packaging vs publish credentials)"
#     - "rbac-configuration: publishers have separate vault policies"
package vaultproof.rules.access.separation_of_duties

import data.vaultproof.lib
import data.vaultproof.lib.access
import rego.v1

metric_name := "SeparationOfDuties"

# Grants by principal id, computed once.
grants_of[pid] contains g if {
	input.kind == "fleet"
	some g in input.grants
	pid := g.principal
}

effective_grants(p) := object.get(grants_of, p.id, set()) | {g |
	some gid in p.member_of
	some g in object.get(grants_of, gid, set())
}

# Credential types a principal can use, with the vaults it uses them in. The types each grant can
# use were worked out in its vault's shard (lib.fleet_facts), where the objects are.
usable(p) := {[t, g.vault] |
	some g in effective_grants(p)
	access.uses(g)
	some t in object.get(input.grant_types, g.id, [])
}

conflicts(types) := {concat(" + ", pair) |
	some pair in data.config.thresholds.separation_of_duties
	every t in pair { types[t] }
}

findings[out.resource.id] := out if {
	input.kind == "fleet"
	some p in input.principals
	used := usable(p)
	types := {t | some [t, _] in used}
	relevant := {t | some pair in data.config.thresholds.separation_of_duties; some t in pair; types[t]}
	count(relevant) > 0
	c := conflicts(types)
	ok := count(c) == 0
	status := lib.status_bool(ok)
	msg := message(p, c, relevant, used)
	out := lib.finding(status, access.principal_resource(p), lib.metric(metric_name, ok, "==", true), msg)
}

message(p, c, relevant, _) := concat("", ["'", p.display_name, "' can use only ", concat(", ", sort(relevant))]) if count(c) == 0

message(p, c, _, used) := concat("", ["'", p.display_name, "' can use both ", concat("; ", sort(c)), " (in ", concat(", ", sort(vault_names(used))), ")"]) if count(c) > 0

vault_names(used) := {object.get(input.vaults, v, {"name": v}).name | some [_, v] in used}
