package vaultproof.rules.hashicorp.transit_signing_key_rotation_age_test

import data.vaultproof.rules.hashicorp.transit_signing_key_rotation_age as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

facts(type, ops) := {
	"type": type, "size": null, "curve": null, "hsm": false, "exportable": false, "operations": ops,
	"allow_plaintext_backup": false, "deletion_allowed": false, "min_decryption_version": 1, "auto_rotate_period_seconds": 0,
}

tkey(id, age, ops) := fx.obj(id, "key", concat("/", ["transit", id]), age, {"key": facts("ecdsa-p256", ops)})

inp(objects) := fx.hashi_input({"objects": objects})

test_recent_signing_key_passes if {
	some f in rule.findings with input as inp({"a": tkey("a", 30, ["sign", "verify"])})
	f.status == "pass"
	f.metric.value == 30
	f.metric.threshold == 90
	f.message == "transit signing key 'transit/a' version v1 is 30 day(s) old (limit 90)"
}

test_old_signing_key_fails if {
	fx.statuses(rule.findings) == {["a", "fail"]} with input as inp({"a": tkey("a", 91, ["sign", "verify"])})
}

test_latest_version_is_judged if {
	old := tkey("a", 400, ["sign", "verify"])
	k := object.union(old, {"current_version": "2", "versions": {"1": old.versions.v1, "2": object.union(old.versions.v1, {"created": fx.days_ago(10)})}})
	fx.statuses(rule.findings) == {["a", "pass"]} with input as inp({"a": k})
}

test_threshold_from_config if {
	i := inp({"a": tkey("a", 40, ["sign"])})
	fx.statuses(rule.findings) == {["a", "fail"]} with input as i with data.config.thresholds.rotation_days["signing-key"] as 30
}

test_encryption_keys_are_not_judged if {
	count(rule.findings) == 0 with input as inp({"e": tkey("e", 400, ["encrypt", "decrypt"])})
}

# First law: an unread creation time or unread key facts never pass.
test_missing_facts_are_error if {
	nodate := object.union(tkey("b", 5, ["sign"]), {"versions": {"v1": {"created": null, "updated": null, "expires": null, "not_before": null, "enabled": true}}})
	objs := {"n": fx.obj("n", "key", "transit/n", 5, {}), "b": nodate}
	fx.statuses(rule.findings) == {["n", "error"], ["b", "error"]} with input as inp(objs)
}
