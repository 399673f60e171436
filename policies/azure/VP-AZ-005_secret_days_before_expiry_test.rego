package vaultproof.rules.azure.secret_days_before_expiry_test

import data.vaultproof.rules.azure.secret_days_before_expiry as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

expiring(id, path, expires) := fx.obj(id, "secret", path, 1, {"versions": {"v1": {
	"created": fx.days_ago(1), "updated": fx.days_ago(1), "expires": expires, "not_before": null, "enabled": true,
}}})

test_far_expiry_passes_and_close_fails if {
	objs := {
		"a": expiring("a", "project/cab/webhook", fx.now + (8 * fx.day)),
		"b": expiring("b", "project/cab/other", fx.now + (7 * fx.day)),
		"t": expiring("t", "project/connectors/jamf/api-token", fx.now + fx.day),
	}
	fx.statuses(rule.findings) == {["a", "pass"], ["b", "fail"]} with input as fx.vault_input(objs)
	some f in rule.findings with input as fx.vault_input({"b": objs.b})
	f.metric == {"name": "SecretDaysBeforeExpiry", "value": 7, "op": ">", "threshold": 7}
	f.message == "secret 'project/cab/other' has 7 days before it expires"
}
