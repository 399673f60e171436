package vaultproof.rules.azure.certificate_expiry_window_test

import data.vaultproof.rules.azure.certificate_expiry_window as window
import data.vaultproof.test.fixtures as fx
import rego.v1

# fx.obj's current version ("v1") takes the object's expiry.
cert(id, expires) := fx.obj(id, "certificate", concat("/", ["project/control-plane", id]), 100, {
	"expires": expires,
	"versions": {"v1": {"created": fx.days_ago(100), "updated": fx.days_ago(100), "expires": expires, "not_before": null, "enabled": true}},
})

objs := {
	"far": cert("far", fx.now + (200 * fx.day)),
	"edge": cert("edge", fx.now + (30 * fx.day)),
	"soon": cert("soon", fx.now + (10 * fx.day)),
	"gone": cert("gone", fx.now - (5 * fx.day)),
	"unknown": cert("unknown", null),
}

test_certificate_expiry_window if {
	fx.statuses(window.findings) == {["far", "pass"], ["edge", "pass"], ["soon", "fail"], ["gone", "fail"], ["unknown", "error"]} with input as fx.vault_input(objs)
	some f in window.findings with input as fx.vault_input({"soon": objs.soon})
	f.metric == {"name": "CertificateDaysToExpiry", "value": 10, "op": ">=", "threshold": 30}
	f.message == "certificate 'project/control-plane/soon' expires in 10 days"
	some g in window.findings with input as fx.vault_input({"gone": objs.gone})
	g.message == "certificate 'project/control-plane/gone' expired 5 days ago"
}

# First law: an expiry that was not read is error, never pass.
test_unknown_expiry_is_error if {
	some f in window.findings with input as fx.vault_input({"unknown": objs.unknown})
	f.status == "error"
	f.metric.value == null
	f.message == "the expiry of certificate 'project/control-plane/unknown' could not be read"
}

test_window_from_config if {
	fx.statuses(window.findings) == {["far", "fail"]} with input as fx.vault_input({"far": objs.far})
		with data.config.thresholds.certificate_min_remaining_days as 365
}

test_keys_and_disabled_certificates_are_not_judged if {
	key := object.union(objs.soon, {"kind": "key"})
	off := object.union(objs.soon, {"enabled": false})
	count(window.findings) == 0 with input as fx.vault_input({"k": key, "off": off})
}
