package vaultproof.rules.azure.secret_max_validity_test

import data.vaultproof.rules.azure.secret_max_validity as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

valid_for(id, path, days, nbf) := fx.obj(id, "secret", path, 1, {"versions": {"v1": {
	"created": fx.days_ago(1), "updated": fx.days_ago(1), "expires": fx.days_ago(1) + (days * fx.day), "not_before": nbf, "enabled": true,
}}})

test_validity_within_interval_passes if {
	some f in rule.findings with input as fx.vault_input({"t": valid_for("t", "project/connectors/jamf/api-token", 60, null)})
	f.status == "pass"
	f.metric == {"name": "SecretMaxValidityDays", "value": 60, "op": "<=", "threshold": 60}
}

test_long_validity_fails if {
	some f in rule.findings with input as fx.vault_input({"t": valid_for("t", "project/connectors/jamf/api-token", 730, fx.days_ago(1))})
	f.status == "fail"
	f.message == "secret 'project/connectors/jamf/api-token' is valid for 730 days; the limit is 60"
}

test_untyped_secret_uses_the_default_limit if {
	some f in rule.findings with input as fx.vault_input({"t": valid_for("t", "misc", 400, null)})
	f.status == "fail"
	f.metric.threshold == 365
}
