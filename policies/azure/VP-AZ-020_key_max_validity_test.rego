package vaultproof.rules.azure.key_max_validity_test

import data.vaultproof.rules.azure.key_max_validity as validity
import data.vaultproof.test.fixtures as fx
import rego.v1

key(id, created, nbf, expires) := fx.obj(id, "key", concat("/", ["project/packaging", id]), 1, {
	"expires": expires,
	"versions": {"v1": {"created": created, "updated": created, "expires": expires, "not_before": nbf, "enabled": true}},
})

objs := {
	"year": key("year", fx.days_ago(10), null, fx.days_ago(10) + (365 * fx.day)),
	"two": key("two", fx.days_ago(10), null, fx.days_ago(10) + (730 * fx.day)),
	"nbf": key("nbf", fx.days_ago(400), fx.days_ago(10), fx.days_ago(10) + (300 * fx.day)),
	"never": key("never", fx.days_ago(10), null, null),
	"nodates": key("nodates", null, null, fx.now + fx.day),
}

test_key_validity if {
	fx.statuses(validity.findings) == {["year", "pass"], ["two", "fail"], ["nbf", "pass"], ["nodates", "error"]} with input as fx.vault_input(objs)
	some f in validity.findings with input as fx.vault_input({"two": objs.two})
	f.metric == {"name": "KeyMaxValidityDays", "value": 730, "op": "<=", "threshold": 365}
	f.message == "key 'project/packaging/two' is valid for 730 days"
}

# First law: a key whose validity start was not read is error.
test_missing_dates_is_error if {
	some f in validity.findings with input as fx.vault_input({"nodates": objs.nodates})
	f.status == "error"
	f.metric.value == null
}

test_limit_from_config if {
	fx.statuses(validity.findings) == {["year", "fail"]} with input as fx.vault_input({"year": objs.year})
		with data.config.thresholds.key_max_validity_days as 90
}

test_secrets_and_disabled_keys_are_not_judged if {
	count(validity.findings) == 0 with input as fx.vault_input({
		"s": object.union(objs.two, {"kind": "secret"}),
		"off": object.union(objs.two, {"enabled": false}),
	})
}
