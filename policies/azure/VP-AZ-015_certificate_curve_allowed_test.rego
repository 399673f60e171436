package vaultproof.rules.azure.certificate_curve_allowed_test

import data.vaultproof.rules.azure.certificate_curve_allowed as curve
import data.vaultproof.test.fixtures as fx
import rego.v1

cert(id, type, size, crv) := fx.obj(id, "certificate", concat("/", ["project/control-plane", id]), 1, {"key": {
	"type": type, "size": size, "curve": crv, "hsm": false, "exportable": false, "operations": ["digitalSignature"],
}})

objs := {
	"a": cert("a", "EC", 256, "P-256"),
	"b": cert("b", "EC-HSM", 256, "P-256K"),
	"c": cert("c", "EC", null, null),
	"r": cert("r", "RSA", 2048, null),
	"x": fx.obj("x", "certificate", "misc", 1, {}),
	"k": fx.obj("k", "key", "project/control-plane/k", 1, {"key": {"type": "EC", "size": 256, "curve": "P-256K"}}),
}

test_certificate_curve if {
	fx.statuses(curve.findings) == {["a", "pass"], ["b", "fail"], ["c", "error"], ["x", "error"]} with input as fx.vault_input(objs)
	some f in curve.findings with input as fx.vault_input({"b": objs.b})
	f.metric == {"name": "CertificateKeyCurveAllowed", "value": "P-256K", "op": "==", "threshold": "P-256,P-384,P-521"}
	f.message == "the EC key of certificate 'project/control-plane/b' uses curve P-256K"
}

# First law: a certificate whose issuance policy (and so its key facts) was not read is not judged fine.
test_certificate_without_key_facts_is_error if {
	some f in curve.findings with input as fx.vault_input({"x": objs.x})
	f.status == "error"
	f.message == "the key type of certificate 'misc' could not be read: whether it holds an EC key, and its curve, is unknown"
}

test_curves_from_config if {
	fx.statuses(curve.findings) == {["a", "fail"], ["b", "fail"]} with input as fx.vault_input({"a": objs.a, "b": objs.b})
		with data.config.thresholds.allowed_key_curves as ["P-384"]
}
