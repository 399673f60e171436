package vaultproof.rules.azure.key_properties_test

import data.vaultproof.rules.azure.key_curve_allowed as curve
import data.vaultproof.rules.azure.key_hsm_backed as hsm
import data.vaultproof.rules.azure.rsa_key_size as rsa
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

test_rsa_size if {
	fx.statuses(rsa.findings) == {["a", "pass"], ["b", "fail"], ["c", "error"], ["x", "error"]} with input as fx.vault_input(objs)
	some f in rsa.findings with input as fx.vault_input({"b": objs.b})
	f.metric == {"name": "RsaKeySizeBits", "value": 1024, "op": ">=", "threshold": 2048}
}

test_curves if {
	fx.statuses(curve.findings) == {["e", "pass"], ["f", "fail"], ["g", "error"], ["x", "error"]} with input as fx.vault_input(objs)
}

# Issue 15, property 1 (less evidence is never greener): deleting a key's `key` facts (or nulling
# its type) made the key vanish from RsaKeySize and KeyCurveAllowed, a pass or a fail turning into
# no finding. A key of unknown type may be RSA or EC: both rules report error.
test_key_without_type_is_error_in_size_and_curve_rules if {
	bare := object.remove(objs.a, ["key"])
	untyped := object.union(objs.f, {"key": {"type": null}})
	inp := fx.vault_input({"bare": bare, "untyped": untyped})
	fx.statuses(rsa.findings) == {["a", "error"], ["f", "error"]} with input as inp
	fx.statuses(curve.findings) == {["a", "error"], ["f", "error"]} with input as inp
	some f in rsa.findings with input as fx.vault_input({"bare": bare})
	f.message == "the type of key 'project/packaging/signing/a' could not be read: whether it is an RSA key, and its size, is unknown"
	f.metric.value == null
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
