package vaultproof.rules.hashicorp.transit_signing_key_not_exportable_test

import data.vaultproof.rules.hashicorp.transit_signing_key_not_exportable as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

facts(type, ops, exportable, backup) := {
	"type": type, "size": null, "curve": "P-256", "hsm": false, "exportable": exportable, "operations": ops,
	"allow_plaintext_backup": backup, "deletion_allowed": false, "min_decryption_version": 1, "auto_rotate_period_seconds": 0,
}

tkey(id, key) := fx.obj(id, "key", concat("/", ["transit", id]), 5, {"key": key})

inp(objects) := fx.hashi_input({"objects": objects})

test_non_exportable_signing_key_passes if {
	some f in rule.findings with input as inp({"a": tkey("a", facts("ecdsa-p256", ["sign", "verify"], false, false))})
	f.status == "pass"
	f.metric.value == true
	f.message == "transit signing key 'transit/a' (ecdsa-p256) is not exportable and allows no plaintext backup"
}

test_exportable_or_backed_up_signing_keys_fail if {
	objs := {
		"a": tkey("a", facts("ecdsa-p256", ["sign", "verify"], true, false)),
		"b": tkey("b", facts("rsa-3072", ["encrypt", "decrypt", "sign", "verify"], false, true)),
		"c": tkey("c", facts("ed25519", ["sign", "verify"], true, true)),
	}
	fx.statuses(rule.findings) == {["a", "fail"], ["b", "fail"], ["c", "fail"]} with input as inp(objs)
	some f in rule.findings with input as inp(objs)
	f.resource.id == "c"
	f.message == "transit signing key 'transit/c' (ed25519) is exportable and allows a plaintext backup"
}

test_encryption_keys_are_not_judged if {
	objs := {"e": tkey("e", facts("aes256-gcm96", ["encrypt", "decrypt"], true, true))}
	count(rule.findings) == 0 with input as inp(objs)
}

test_classified_signing_key_is_judged_whatever_its_operations if {
	objs := {"s": fx.obj("s", "key", "transit/signing/s", 5, {"key": facts("hmac", [], true, false)})}
	fx.statuses(rule.findings) == {["s", "fail"]} with input as inp(objs)
}

# First law: unread facts never pass.
test_missing_facts_are_error if {
	objs := {
		"n": fx.obj("n", "key", "transit/n", 5, {}),
		"b": tkey("b", facts("ecdsa-p256", ["sign", "verify"], false, null)),
		"c": tkey("c", object.remove(facts("ecdsa-p256", ["sign", "verify"], false, false), ["allow_plaintext_backup"])),
	}
	fx.statuses(rule.findings) == {["n", "error"], ["b", "error"], ["c", "error"]} with input as inp(objs)
}

test_azure_keys_are_not_judged if {
	objs := {"a": fx.obj("a", "key", "project/packaging/signing/a", 5, {"key": facts("RSA", ["sign"], true, true)})}
	count(rule.findings) == 0 with input as fx.vault_input(objs)
}
