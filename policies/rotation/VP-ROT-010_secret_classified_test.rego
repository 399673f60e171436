package vaultproof.rules.rotation.secret_classified_test

import data.vaultproof.rules.rotation.secret_classified as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

test_classified_object_passes if {
	objs := {"c": fx.obj("c", "certificate", "whatever", 1, {})}
	some f in rule.findings with input as fx.vault_input(objs)
	f.status == "pass"
	f.message == "classified as sp-certificate"
}

test_unclassifiable_secret_fails if {
	objs := {"x": fx.obj("x", "secret", "misc/db-password", 1, {})}
	fx.statuses(rule.findings) == {["x", "fail"]} with input as fx.vault_input(objs)
}

test_unknown_credential_type_tag_falls_back_to_rules if {
	objs := {"x": fx.obj("x", "secret", "misc/db-password", 1, {"tags": {"credential-type": "bogus"}})}
	fx.statuses(rule.findings) == {["x", "fail"]} with input as fx.vault_input(objs)
}

test_content_type_classifies_certificate_secret if {
	objs := {"x": fx.obj("x", "secret", "misc/pfx", 1, {"content_type": "application/x-pkcs12"})}
	fx.statuses(rule.findings) == {["x", "pass"]} with input as fx.vault_input(objs)
}

test_wildcard_tag_rule_matches_any_value if {
	cfg := object.union(data.config, {"classification": [{"type": "generic", "match": {"tag": {"owner": "*"}}}]})
	objs := {"x": fx.obj("x", "secret", "misc/db-password", 1, {"tags": {"owner": "team-a"}})}
	fx.statuses(rule.findings) == {["x", "pass"]} with input as fx.vault_input(objs) with data.config as cfg
}
