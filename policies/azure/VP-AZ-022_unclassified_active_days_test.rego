package vaultproof.rules.azure.unclassified_active_days_test

import data.vaultproof.rules.azure.unclassified_active_days as active
import data.vaultproof.test.fixtures as fx
import rego.v1

objs := {
	"old": fx.obj("old", "secret", "legacy-db-password", 400, {}),
	"young": fx.obj("young", "key", "project/cab/session-salt", 20, {}),
	"nbf": fx.obj("nbf", "secret", "misc/nbf", 500, {"versions": {"v1": {"created": fx.days_ago(500), "updated": fx.days_ago(500), "expires": null, "not_before": fx.days_ago(10), "enabled": true}}}),
	"nodates": fx.obj("nodates", "secret", "misc/nodates", 1, {"created": null, "versions": {"v1": {"created": null, "updated": null, "expires": null, "not_before": null, "enabled": true}}}),
	"typed": fx.obj("typed", "secret", "project/connectors/jamf/api-token", 400, {}),
	"tagged": fx.obj("tagged", "secret", "misc/tagged", 400, {"tags": {"credential-type": "generic"}}),
	"cert": fx.obj("cert", "certificate", "misc/cert", 400, {}),
	"off": fx.obj("off", "secret", "misc/off", 400, {"enabled": false}),
}

test_unclassified_objects_are_aged if {
	fx.statuses(active.findings) == {["old", "fail"], ["young", "pass"], ["nbf", "pass"], ["nodates", "error"]} with input as fx.vault_input(objs)
	some f in active.findings with input as fx.vault_input({"old": objs.old})
	f.metric == {"name": "UnclassifiedActiveDays", "value": 400, "op": "<=", "threshold": 365}
	f.message == "secret 'legacy-db-password' matches no classification rule and has been active for 400 days"
}

# First law: a version whose start was not read is error, never pass.
test_missing_start_is_error if {
	some f in active.findings with input as fx.vault_input({"nodates": objs.nodates})
	f.status == "error"
	f.metric.value == null
	f.message == "the activation time of secret 'misc/nodates' could not be read"
}

test_limit_from_config if {
	fx.statuses(active.findings) == {["young", "fail"]} with input as fx.vault_input({"young": objs.young})
		with data.config.thresholds.unclassified_max_active_days as 10
}
