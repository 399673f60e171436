package vaultproof.rules.azure.certificate_key_type_allowed_test

import data.vaultproof.rules.azure.certificate_key_type_allowed as key_type
import data.vaultproof.test.fixtures as fx
import rego.v1

cert(id, type) := fx.obj(id, "certificate", concat("/", ["project/cab", id]), 1, {"key": {
	"type": type, "size": 256, "curve": null, "hsm": false, "exportable": false, "operations": ["digitalSignature"],
}})

objs := {
	"rsa": cert("rsa", "RSA"),
	"rsahsm": cert("rsahsm", "RSA-HSM"),
	"ec": cert("ec", "EC-HSM"),
	"x": fx.obj("x", "certificate", "misc", 1, {}),
	"k": fx.obj("k", "key", "project/cab/k", 1, {"key": {"type": "EC"}}),
}

test_certificate_key_type if {
	fx.statuses(key_type.findings) == {["rsa", "pass"], ["rsahsm", "pass"], ["ec", "fail"], ["x", "error"]} with input as fx.vault_input(objs)
	some f in key_type.findings with input as fx.vault_input({"ec": objs.ec})
	f.metric == {"name": "CertificateKeyTypeAllowed", "value": "EC-HSM", "op": "==", "threshold": "RSA,RSA-HSM"}
	f.message == "the key of certificate 'project/cab/ec' is of type EC-HSM"
}

# First law: a certificate whose issuance policy (and so its key type) was not read is error.
test_unknown_type_is_error if {
	some f in key_type.findings with input as fx.vault_input({"x": objs.x})
	f.status == "error"
	f.metric.value == null
	f.message == "the key type of certificate 'misc' could not be read"
}

test_types_from_config if {
	fx.statuses(key_type.findings) == {["rsa", "fail"], ["ec", "pass"]} with input as fx.vault_input({"rsa": objs.rsa, "ec": objs.ec})
		with data.config.thresholds.allowed_certificate_key_types as ["EC-HSM"]
}

test_disabled_certificate_is_not_judged if {
	count(key_type.findings) == 0 with input as fx.vault_input({"ec": object.union(objs.ec, {"enabled": false})})
}
