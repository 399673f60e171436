package vaultproof.rules.azure.certificate_rsa_key_size_test

import data.vaultproof.rules.azure.certificate_rsa_key_size as rsa
import data.vaultproof.test.fixtures as fx
import rego.v1

cert(id, type, size, crv) := fx.obj(id, "certificate", concat("/", ["project/control-plane", id]), 1, {"key": {
	"type": type, "size": size, "curve": crv, "hsm": false, "exportable": false, "operations": ["digitalSignature"],
}})

objs := {
	"a": cert("a", "RSA", 2048, null),
	"b": cert("b", "RSA-HSM", 1024, null),
	"c": cert("c", "RSA", null, null),
	"e": cert("e", "EC", 256, "P-256"),
	"x": fx.obj("x", "certificate", "misc", 1, {}),
	"k": fx.obj("k", "key", "project/control-plane/k", 1, {"key": {"type": "RSA", "size": 1024, "curve": null}}),
}

test_certificate_rsa_size if {
	fx.statuses(rsa.findings) == {["a", "pass"], ["b", "fail"], ["c", "error"], ["x", "error"]} with input as fx.vault_input(objs)
	some f in rsa.findings with input as fx.vault_input({"b": objs.b})
	f.metric == {"name": "CertificateRsaKeySizeBits", "value": 1024, "op": ">=", "threshold": 2048}
	f.message == "the RSA key of certificate 'project/control-plane/b' has 1024 bits"
}

# First law: a certificate whose issuance policy (and so its key facts) was not read is not judged fine.
test_certificate_without_key_facts_is_error if {
	untyped := object.union(objs.a, {"key": {"type": null}})
	fx.statuses(rsa.findings) == {["x", "error"], ["a", "error"]} with input as fx.vault_input({"x": objs.x, "a": untyped})
	some f in rsa.findings with input as fx.vault_input({"x": objs.x})
	f.message == "the key type of certificate 'misc' could not be read: whether it holds an RSA key, and its size, is unknown"
	f.metric.value == null
}

test_threshold_from_config if {
	fx.statuses(rsa.findings) == {["a", "fail"]} with input as fx.vault_input({"a": objs.a}) with data.config.thresholds.min_rsa_key_bits as 3072
}

test_disabled_certificate_is_not_judged if {
	count(rsa.findings) == 0 with input as fx.vault_input({"b": object.union(objs.b, {"enabled": false})})
}
