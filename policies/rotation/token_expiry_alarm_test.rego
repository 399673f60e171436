package vaultproof.rules.rotation.token_expiry_alarm_test

import data.vaultproof.rules.rotation.token_expiry_alarm as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

token(id, expires) := fx.obj(id, "secret", concat("/", ["project/connectors/jamf", id]), 10, {"versions": {"v1": {
	"created": fx.days_ago(10), "updated": fx.days_ago(10), "expires": expires, "not_before": null, "enabled": true,
}}})

test_token_far_from_expiry_passes if {
	some f in rule.findings with input as fx.vault_input({"t": token("t", fx.now + (30 * fx.day))})
	f.status == "pass"
	f.metric == {"name": "TokenExpiryAlarm", "value": 30, "op": ">", "threshold": 7}
	f.message == "token 'project/connectors/jamf/t' expires in 30 days"
}

test_token_inside_the_alarm_window_fails if {
	fx.statuses(rule.findings) == {["t", "fail"]} with input as fx.vault_input({"t": token("t", fx.now + (7 * fx.day))})
}

test_expired_token_fails if {
	some f in rule.findings with input as fx.vault_input({"t": token("t", fx.days_ago(3))})
	f.status == "fail"
	f.message == "token 'project/connectors/jamf/t' expired 3 days ago"
}

test_token_without_expiry_counts_down_to_its_rotation_deadline if {
	some f in rule.findings with input as fx.vault_input({"t": token("t", null)})
	f.status == "pass"
	f.message == "token 'project/connectors/jamf/t' is due for rotation in 50 days"
	some g in rule.findings with input as fx.vault_input({"t": object.union(token("t", null), {"versions": {"v1": {"created": fx.days_ago(65)}}})})
	g.status == "fail"
	g.message == "token 'project/connectors/jamf/t' was due for rotation 5 days ago"
}

test_token_without_expiry_or_interval_fails if {
	cfg := object.union(data.config, {"thresholds": {"rotation_days": {"api-token": null}}})
	some f in rule.findings with input as fx.vault_input({"t": token("t", null)}) with data.config as cfg
	f.status == "fail"
	f.metric.value == null
}

test_non_tokens_not_judged if {
	count(rule.findings) == 0 with input as fx.vault_input({"c": fx.obj("c", "certificate", "project/control-plane/c", 1, {})})
}
