package vaultproof.rules.azure.key_expiry_window_test

import data.vaultproof.rules.azure.key_expiry_window as window
import data.vaultproof.test.fixtures as fx
import rego.v1

key(id, expires) := fx.obj(id, "key", concat("/", ["project/packaging", id]), 100, {
	"expires": expires,
	"versions": {"v1": {"created": fx.days_ago(100), "updated": fx.days_ago(100), "expires": expires, "not_before": null, "enabled": true}},
})

objs := {
	"far": key("far", fx.now + (200 * fx.day)),
	"edge": key("edge", fx.now + (30 * fx.day)),
	"soon": key("soon", fx.now + (3 * fx.day)),
	"gone": key("gone", fx.now - (2 * fx.day)),
	"never": key("never", null),
}

test_key_expiry_window if {
	fx.statuses(window.findings) == {["far", "pass"], ["edge", "pass"], ["soon", "fail"], ["gone", "fail"]} with input as fx.vault_input(objs)
	some f in window.findings with input as fx.vault_input({"soon": objs.soon})
	f.metric == {"name": "KeyDaysToExpiry", "value": 3, "op": ">=", "threshold": 30}
	f.message == "key 'project/packaging/soon' expires in 3 days"
	some g in window.findings with input as fx.vault_input({"gone": objs.gone})
	g.message == "key 'project/packaging/gone' expired 2 days ago"
}

test_window_from_config if {
	fx.statuses(window.findings) == {["far", "fail"]} with input as fx.vault_input({"far": objs.far})
		with data.config.thresholds.key_min_remaining_days as 365
}

test_secrets_and_disabled_keys_are_not_judged if {
	count(window.findings) == 0 with input as fx.vault_input({
		"s": object.union(objs.soon, {"kind": "secret"}),
		"off": object.union(objs.soon, {"enabled": false}),
	})
}
