package vaultproof.rules.rotation.secret_version_active_test

import data.vaultproof.rules.rotation.secret_version_active as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

with_version(id, v) := fx.obj(id, "secret", concat("/", ["project/cab", id]), 3, {"versions": {"v1": object.union({
	"created": fx.days_ago(3), "updated": fx.days_ago(3), "expires": null, "not_before": null, "enabled": true,
}, v)}})

test_active_version_passes if {
	some f in rule.findings with input as fx.vault_input({"a": with_version("a", {"expires": fx.now + fx.day, "not_before": fx.days_ago(3)})})
	f.status == "pass"
	f.message == "current version v1 of 'project/cab/a' is active"
}

test_inactive_versions_fail if {
	objs := {
		"d": with_version("d", {"enabled": false}),
		"e": with_version("e", {"expires": fx.days_ago(2)}),
		"n": with_version("n", {"not_before": fx.now + (3 * fx.day)}),
	}
	fx.statuses(rule.findings) == {["d", "fail"], ["e", "fail"], ["n", "fail"]} with input as fx.vault_input(objs)
	some f in rule.findings with input as fx.vault_input({"e": with_version("e", {"expires": fx.days_ago(2), "enabled": false})})
	f.message == "current version v1 of 'project/cab/e' is disabled, expired 2 days ago"
	some g in rule.findings with input as fx.vault_input({"n": with_version("n", {"not_before": fx.now + (3 * fx.day)})})
	g.message == "current version v1 of 'project/cab/n' is not valid for another 3 days"
}

test_disabled_objects_not_judged if {
	count(rule.findings) == 0 with input as fx.vault_input({"x": fx.obj("x", "secret", "p", 1, {"enabled": false})})
}
