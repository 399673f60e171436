package vaultproof.rules.rotation.admin_key_age_test

import data.vaultproof.rules.rotation.admin_key_age as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

test_admin_key_within_30_days_passes if {
	objs := {"a": fx.obj("a", "secret", "project/cab/EmergencyAccess", 3, {})}
	fx.statuses(rule.findings) == {["a", "pass"]} with input as fx.vault_input(objs)
}

test_admin_key_older_than_30_days_fails if {
	objs := {"a": fx.obj("a", "secret", "project/control-plane/admin-key", 45, {})}
	some f in rule.findings with input as fx.vault_input(objs)
	f.status == "fail"
	f.metric == {"name": "AdminKeyAgeDays", "value": 45, "op": "<=", "threshold": 30}
}
