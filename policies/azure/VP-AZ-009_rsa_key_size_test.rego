package vaultproof.rules.azure.rsa_key_size_test

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

# Issue 15, property 1 (less evidence is never greener): deleting a key's `key` facts (or nulling
# its type) made the key vanish from RsaKeySize, a pass or a fail turning into no finding. A key of
# unknown type may be RSA: the rule reports error (VP-AZ-010 does the same for the curve).
test_key_without_type_is_error if {
	bare := object.remove(objs.a, ["key"])
	untyped := object.union(objs.f, {"key": {"type": null}})
	inp := fx.vault_input({"bare": bare, "untyped": untyped})
	fx.statuses(rsa.findings) == {["a", "error"], ["f", "error"]} with input as inp
	some f in rsa.findings with input as fx.vault_input({"bare": bare})
	f.message == "the type of key 'project/packaging/signing/a' could not be read: whether it is an RSA key, and its size, is unknown"
	f.metric.value == null
}
