package vaultproof.rules.azure.key_hsm_backed_test

import data.vaultproof.rules.azure.key_hsm_backed as hsm
import data.vaultproof.test.fixtures as fx
import rego.v1

key(id, type, size, crv, is_hsm) := fx.obj(id, "key", concat("/", ["project/packaging/signing", id]), 1, {"key": {
	"type": type, "size": size, "curve": crv, "hsm": is_hsm, "exportable": false, "operations": ["sign"],
}})

objs := {
	"a": key("a", "RSA-HSM", 3072, null, true),
	"b": key("b", "RSA", 1024, null, false),
	"c": key("c", "RSA", null, null, false),
	"e": key("e", "EC-HSM", 256, "P-256", true),
	"f": key("f", "EC", 256, "SECP256R1", false),
	"g": key("g", "EC", null, null, false),
	"x": fx.obj("x", "key", "misc", 1, {}),
}

test_hsm_backing if {
	fx.statuses(hsm.findings) == {
		["a", "pass"], ["b", "fail"], ["c", "fail"], ["e", "pass"], ["f", "fail"], ["g", "fail"], ["x", "error"],
	} with input as fx.vault_input(objs)
	some m in hsm.findings with input as fx.vault_input({"a": objs.a})
	m.message == "signing-key key 'project/packaging/signing/a' is HSM-backed (RSA-HSM)"
}

test_hsm_requirement_by_type if {
	cfg := object.union(data.config, {"thresholds": {"hsm_required_key_types": ["admin-key"]}})
	count(hsm.findings) == 0 with input as fx.vault_input(objs) with data.config as cfg
}

test_managed_hsm_keys_pass if {
	inp := {"kind": "vault", "now": fx.now, "vault": fx.azure_vault({"kind": "managed-hsm", "objects": {"b": objs.b}})}
	fx.statuses(hsm.findings) == {["b", "pass"]} with input as inp
}

# Issue 15: a code-signing certificate's backing key must be HSM-backed too; other certificates are
# not judged by this rule.
test_signing_certificate_hsm_backing if {
	soft := fx.obj("c", "certificate", "project/packaging/signing/c", 1, {"key": {"type": "RSA", "size": 3072, "curve": null, "hsm": false, "exportable": false, "operations": []}})
	some f in hsm.findings with input as fx.vault_input({"c": soft})
	f.status == "fail"
	f.message == "signing-key certificate 'project/packaging/signing/c' is software-protected (RSA)"
	count(hsm.findings) == 0 with input as fx.vault_input({"s": object.union(soft, {"path": "project/control-plane/sp-cert"})})
	some g in hsm.findings with input as fx.vault_input({"c": object.remove(soft, ["key"])})
	g.status == "error"
}
