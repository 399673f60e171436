package vaultproof.rules.credentials.signing_key_in_hsm_test

import data.vaultproof.rules.credentials.signing_key_in_hsm as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

key(id, type, hsm, exportable) := fx.obj(id, "key", concat("/", ["project/packaging/signing", id]), 5, {"key": {
	"type": type, "size": 3072, "curve": null, "hsm": hsm, "exportable": exportable, "operations": ["sign"],
}})

test_hsm_non_exportable_key_passes if {
	some f in rule.findings with input as fx.vault_input({"a": key("a", "RSA-HSM", true, false)})
	f.status == "pass"
	f.message == "signing key 'project/packaging/signing/a' (RSA-HSM) is HSM-backed and not exportable"
}

test_software_or_exportable_keys_fail if {
	objs := {"a": key("a", "RSA", false, false), "b": key("b", "RSA-HSM", true, true)}
	fx.statuses(rule.findings) == {["a", "fail"], ["b", "fail"]} with input as fx.vault_input(objs)
}

test_managed_hsm_keys_are_hsm_backed if {
	inp := {"kind": "vault", "now": fx.now, "vault": fx.azure_vault({"kind": "managed-hsm", "objects": {"a": key("a", "RSA", false, false)}})}
	fx.statuses(rule.findings) == {["a", "pass"]} with input as inp
}

test_signing_key_stored_as_secret_fails if {
	objs := {"g": fx.obj("g", "secret", "project/packaging/signing/apt-gpg-private", 5, {})}
	some f in rule.findings with input as fx.vault_input(objs)
	f.status == "fail"
	f.message == "signing key 'project/packaging/signing/apt-gpg-private' is stored as a secret, outside any HSM"
}

test_missing_key_facts_is_error if {
	objs := {"a": fx.obj("a", "key", "project/packaging/signing/a", 5, {})}
	fx.statuses(rule.findings) == {["a", "error"]} with input as fx.vault_input(objs)
}

# Issue 15: a code-signing certificate stored as a Key Vault certificate under a signing path is a
# signing key, judged by its backing key.
signing_cert(id, key) := fx.obj(id, "certificate", concat("/", ["project/packaging/signing", id]), 5, key)

test_signing_certificate_in_hsm_passes if {
	objs := {"c": signing_cert("c", {"key": {"type": "RSA-HSM", "size": 3072, "curve": null, "hsm": true, "exportable": false, "operations": ["sign"]}})}
	some f in rule.findings with input as fx.vault_input(objs)
	f.status == "pass"
	f.message == "signing certificate 'project/packaging/signing/c' (RSA-HSM) is HSM-backed and not exportable"
}

test_software_signing_certificate_fails if {
	objs := {"c": signing_cert("c", {"key": {"type": "RSA", "size": 3072, "curve": null, "hsm": false, "exportable": true, "operations": ["sign"]}})}
	some f in rule.findings with input as fx.vault_input(objs)
	f.status == "fail"
	f.message == "signing certificate 'project/packaging/signing/c' (RSA) is software-protected and exportable"
}

test_signing_certificate_without_key_facts_is_error if {
	some f in rule.findings with input as fx.vault_input({"c": signing_cert("c", {})})
	f.status == "error"
	f.message == "key facts of signing certificate 'project/packaging/signing/c' were not collected"
}
