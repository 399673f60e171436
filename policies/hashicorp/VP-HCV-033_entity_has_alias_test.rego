package vaultproof.rules.hashicorp.entity_has_alias_test

import data.vaultproof.rules.hashicorp.entity_has_alias as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

vid := fx.hashi_vault({}).id

entity(id, methods) := {"id": id, "provider": "hashicorp-vault", "type": "vault-entity", "display_name": id, "auth_methods": methods, "member_of": [], "tags": {}}

g(id, pid) := {"id": id, "principal": pid, "vault": vid, "scope": "secret/*", "capabilities": ["read-value"], "source": "vault-policy", "role": "app"}

inp(principals, grants) := {"kind": "vault", "now": fx.now, "vault": fx.hashi_vault({}), "principals": principals, "grants": grants, "events": null}

test_entity_with_alias_passes if {
	some f in rule.findings with input as inp({"e1": entity("e1", ["oidc", "userpass"])}, {"g1": g("g1", "e1")})
	f.status == "pass"
	f.metric.value == 2
	f.message == "entity 'e1' has aliases on oidc, userpass"
}

test_entity_without_alias_fails if {
	some f in rule.findings with input as inp({"e1": entity("e1", [])}, {"g1": g("g1", "e1")})
	f.status == "fail"
	f.metric.value == 0
	f.message == "entity 'e1' holds policies but has no alias on any auth method"
}

test_azure_vault_not_judged if {
	i := {"kind": "vault", "now": fx.now, "vault": fx.azure_vault({}), "principals": {"e1": entity("e1", [])}, "grants": {"g1": object.union(g("g1", "e1"), {"vault": fx.azure_vault({}).id})}, "events": null}
	count(rule.findings) == 0 with input as i
}

# First law: unread aliases never pass.
test_unread_aliases_are_error if {
	p := object.remove(entity("e1", []), ["auth_methods"])
	fx.statuses(rule.findings) == {["e1", "error"]} with input as inp({"e1": p}, {"g1": g("g1", "e1")})
}
