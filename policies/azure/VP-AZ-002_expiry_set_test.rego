package vaultproof.rules.azure.expiry_set_test

import data.vaultproof.rules.azure.expiry_set as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

exp(id, kind, expires) := fx.obj(id, kind, id, 1, {"versions": {"v1": {"created": fx.days_ago(1), "updated": fx.days_ago(1), "expires": expires, "not_before": null, "enabled": true}}})

test_expiry_set_passes_and_missing_fails if {
	objs := {"a": exp("a", "secret", fx.now + fx.day), "b": exp("b", "key", null), "c": exp("c", "certificate", null)}
	fx.statuses(rule.findings) == {["a", "pass"], ["b", "fail"]} with input as fx.vault_input(objs)
	some f in rule.findings with input as fx.vault_input({"b": exp("b", "key", null)})
	f.message == "key 'b' has no expiration date"
}

test_disabled_and_hashicorp_not_judged if {
	count(rule.findings) == 0 with input as fx.vault_input({"a": object.union(exp("a", "secret", null), {"enabled": false})})
	count(rule.findings) == 0 with input as fx.hashi_input({"objects": {"a": exp("a", "secret", null)}})
}
