package vaultproof.rules.azure.key_rotation_policy_test

import data.vaultproof.rules.azure.key_rotation_policy as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

policy(after, before, expiry) := {"rotate_after_days": after, "rotate_before_expiry_days": before, "notify_before_expiry_days": 30, "expiry_days": expiry}

key(id, path, p) := fx.obj(id, "key", path, 1, {"rotation_policy": p})

test_rotate_within_the_interval_passes if {
	some f in rule.findings with input as fx.vault_input({"k": key("k", "project/packaging/signing/a", policy(85, null, 365))})
	f.status == "pass"
	f.metric == {"name": "KeyRotationPolicyDays", "value": 85, "op": "<=", "threshold": 90}
}

test_rotate_before_expiry_is_converted if {
	some f in rule.findings with input as fx.vault_input({"k": key("k", "project/packaging/signing/a", policy(null, 30, 365))})
	f.status == "fail"
	f.metric.value == 335
}

test_no_policy_or_no_rotate_action_fails if {
	objs := {"a": key("a", "x", null), "b": key("b", "y", policy(null, null, 365))}
	fx.statuses(rule.findings) == {["a", "fail"], ["b", "fail"]} with input as fx.vault_input(objs)
}

test_unread_policy_is_error_and_fallback_limit_applies if {
	some f in rule.findings with input as fx.vault_input({"a": fx.obj("a", "key", "misc", 1, {})})
	f.status == "error"
	f.metric.threshold == 90
}
