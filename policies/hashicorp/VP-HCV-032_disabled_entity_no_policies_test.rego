package vaultproof.rules.hashicorp.disabled_entity_no_policies_test

import data.vaultproof.rules.hashicorp.disabled_entity_no_policies as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

vid := fx.hashi_vault({}).id

entity(id, tags) := {"id": id, "provider": "hashicorp-vault", "type": "vault-entity", "display_name": id, "auth_methods": ["userpass"], "member_of": [], "tags": tags}

g(id, pid) := {"id": id, "principal": pid, "vault": vid, "scope": "secret/*", "capabilities": ["read-value"], "source": "vault-policy", "role": "app"}

inp(principals, grants) := {"kind": "vault", "now": fx.now, "vault": fx.hashi_vault({}), "principals": principals, "grants": grants, "events": null}

test_enabled_entity_passes if {
	some f in rule.findings with input as inp({"e1": entity("e1", {})}, {"g1": g("g1", "e1")})
	f.status == "pass"
	f.metric.value == 0
	f.message == "entity 'e1' is enabled (1 grant(s))"
}

test_disabled_entity_with_policies_fails if {
	some f in rule.findings with input as inp({"e1": entity("e1", {"disabled": "true"})}, {"g1": g("g1", "e1"), "g2": g("g2", "e1")})
	f.status == "fail"
	f.metric.value == 2
	f.message == "entity 'e1' is disabled but still holds 2 grant(s) from its policies"
}

test_other_principals_and_vaults_not_judged if {
	sp := object.union(entity("s", {"disabled": "true"}), {"type": "service-principal"})
	other := object.union(g("g2", "e1"), {"vault": "hashicorp-vault:other"})
	count(rule.findings) == 0 with input as inp({"s": sp, "e1": entity("e1", {"disabled": "true"})}, {"g1": g("g1", "s"), "g2": other})
}

# First law: an entity whose disabled flag was not read never passes.
test_unread_tags_are_error if {
	p := object.remove(entity("e1", {}), ["tags"])
	fx.statuses(rule.findings) == {["e1", "error"]} with input as inp({"e1": p}, {"g1": g("g1", "e1")})
}
