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

test_recent_barrier_key_passes_and_old_fails if {
	some f in rule.findings with input as fx.hashi_input({})
	f.resource.id == "hashicorp-vault:hv:barrier-key"
	f.status == "pass"
	f.message == "barrier key term 1 was installed 10 days ago; the interval for admin keys is 30 days"
	hc := object.union(fx.hashi_vault({}).hashicorp, {"key_status": {"term": 3, "install_time": fx.days_ago(200)}})
	fx.statuses(rule.findings) == {["hashicorp-vault:hv:barrier-key", "fail"]} with input as fx.hashi_input({"hashicorp": hc})
}

test_unreadable_key_status_is_error if {
	hc := object.union(fx.hashi_vault({}).hashicorp, {"key_status": null})
	fx.statuses(rule.findings) == {["hashicorp-vault:hv:barrier-key", "error"]} with input as fx.hashi_input({"hashicorp": hc})
}

test_live_root_tokens_are_judged_by_age if {
	tokens := [
		{"accessor_hash": "hmac-a", "created": fx.days_ago(2), "expires": null},
		{"accessor_hash": "hmac-b", "created": fx.days_ago(90), "expires": fx.now + 3600},
		{"accessor_hash": "hmac-c", "created": fx.days_ago(90), "expires": fx.days_ago(1)},
	]
	hc := object.union(fx.hashi_vault({}).hashicorp, {"root_tokens": tokens})
	fx.statuses(rule.findings) == {
		["hashicorp-vault:hv:barrier-key", "pass"],
		["hashicorp-vault:hv:root-token:hmac-a", "pass"],
		["hashicorp-vault:hv:root-token:hmac-b", "fail"],
	} with input as fx.hashi_input({"hashicorp": hc})
}
