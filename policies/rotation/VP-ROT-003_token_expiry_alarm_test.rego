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

# Issue 15: 7 days 22 hours left is not inside the 7-day alarm window.
test_alarm_does_not_fire_a_day_early if {
	some f in rule.findings with input as fx.vault_input({"t": token("t", fx.now + (7 * fx.day) + (22 * 3600))})
	f.status == "pass"
	f.metric.value == 8
	f.message == "token 'project/connectors/jamf/t' expires in 8 days"
	some g in rule.findings with input as fx.vault_input({"t": token("t", fx.now + (7 * fx.day) + 1)})
	g.status == "pass"
	some h in rule.findings with input as fx.vault_input({"t": token("t", fx.now + (6 * fx.day) + (12 * 3600))})
	h.status == "fail"
	h.metric.value == 6.5
}

# Issue 15: a scheduled deletion (KV v2 delete_version_after) of the current version is an expiry.
scheduled(deleted_at) := fx.obj("t", "secret", "project/connectors/jamf/t", 10, {"versions": {"v1": {
	"created": fx.days_ago(10), "updated": fx.days_ago(10), "expires": null, "not_before": null, "enabled": true,
	"deleted_at": deleted_at,
}}})

test_scheduled_deletion_is_an_expiry if {
	some f in rule.findings with input as fx.vault_input({"t": scheduled(fx.now + (3 * fx.day))})
	f.status == "fail"
	f.metric.value == 3
	f.message == "token 'project/connectors/jamf/t' is scheduled for deletion in 3 days"
	some g in rule.findings with input as fx.vault_input({"t": scheduled(fx.now + (20 * fx.day))})
	g.status == "pass"
	g.message == "token 'project/connectors/jamf/t' is scheduled for deletion in 20 days"
}

test_earlier_of_expiry_and_deletion_counts if {
	o := object.union(scheduled(fx.now + (20 * fx.day)), {"versions": {"v1": {"expires": fx.now + (2 * fx.day)}}})
	some f in rule.findings with input as fx.vault_input({"t": o})
	f.status == "fail"
	f.message == "token 'project/connectors/jamf/t' expires in 2 days"
}

# A token whose store keeps no timestamps (KV v1) and has no expiry: error, never pass or a guessed fail.
test_token_without_any_timestamp_is_error if {
	o := object.union(token("t", null), {"created": null, "updated": null, "versions": {"v1": {"created": null, "updated": null}}})
	some f in rule.findings with input as fx.vault_input({"t": o})
	f.status == "error"
	f.metric.value == null
	f.message == "token 'project/connectors/jamf/t' has no expiry date and no known last rotation time (the store keeps none): when its alarm fires is unknown"
}
