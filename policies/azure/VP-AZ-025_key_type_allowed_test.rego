package vaultproof.rules.azure.key_type_allowed_test

import data.vaultproof.rules.azure.key_type_allowed as key_type
import data.vaultproof.test.fixtures as fx
import rego.v1

key(id, type) := fx.obj(id, "key", concat("/", ["project/packaging", id]), 1, {"key": {
	"type": type, "size": 256, "curve": null, "hsm": true, "exportable": false, "operations": ["encrypt", "decrypt"],
}})

objs := {
	"rsa": key("rsa", "RSA-HSM"),
	"ec": key("ec", "EC"),
	"aes": key("aes", "oct-HSM"),
	"bare": fx.obj("bare", "key", "misc", 1, {}),
	"cert": fx.obj("cert", "certificate", "misc/cert", 1, {"key": {"type": "oct"}}),
}

test_key_type if {
	fx.statuses(key_type.findings) == {["rsa", "pass"], ["ec", "pass"], ["aes", "fail"], ["bare", "error"]} with input as fx.vault_input(objs)
	some f in key_type.findings with input as fx.vault_input({"aes": objs.aes})
	f.metric == {"name": "KeyTypeAllowed", "value": "oct-HSM", "op": "==", "threshold": "RSA,RSA-HSM,EC,EC-HSM"}
	f.message == "key 'project/packaging/aes' is of type oct-HSM"
}

# First law: a key whose type was not read is error.
test_unknown_type_is_error if {
	some f in key_type.findings with input as fx.vault_input({"bare": objs.bare})
	f.status == "error"
	f.metric.value == null
	f.message == "the type of key 'misc' could not be read"
}

test_types_from_config if {
	fx.statuses(key_type.findings) == {["ec", "fail"], ["aes", "pass"]} with input as fx.vault_input({"ec": objs.ec, "aes": objs.aes})
		with data.config.thresholds.allowed_key_types as ["RSA-HSM", "oct-HSM"]
}

test_disabled_key_is_not_judged if {
	count(key_type.findings) == 0 with input as fx.vault_input({"aes": object.union(objs.aes, {"enabled": false})})
}
