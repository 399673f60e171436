package vaultproof.rules.azure.key_curve_allowed_test

import data.vaultproof.rules.azure.key_curve_allowed as curve
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

test_curves if {
	fx.statuses(curve.findings) == {["e", "pass"], ["f", "fail"], ["g", "error"], ["x", "error"]} with input as fx.vault_input(objs)
}

# Issue 15, property 1 (less evidence is never greener): deleting a key's `key` facts (or nulling
# its type) made the key vanish from KeyCurveAllowed. A key of unknown type may be EC: error.
test_key_without_type_is_error if {
	bare := object.remove(objs.a, ["key"])
	untyped := object.union(objs.f, {"key": {"type": null}})
	inp := fx.vault_input({"bare": bare, "untyped": untyped})
	fx.statuses(curve.findings) == {["a", "error"], ["f", "error"]} with input as inp
}
