package vaultproof.rules.rotation.secret_version_active_test

import data.vaultproof.rules.rotation.secret_version_active as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

with_version(id, v) := fx.obj(id, "secret", concat("/", ["project/cab", id]), 3, {"versions": {"v1": object.union({
	"created": fx.days_ago(3), "updated": fx.days_ago(3), "expires": null, "not_before": null, "enabled": true,
}, v)}})

test_active_version_passes if {
	some f in rule.findings with input as fx.vault_input({"a": with_version("a", {"expires": fx.now + fx.day, "not_before": fx.days_ago(3)})})
	f.status == "pass"
	f.message == "current version v1 of 'project/cab/a' is active"
}

test_inactive_versions_fail if {
	objs := {
		"d": with_version("d", {"enabled": false}),
		"e": with_version("e", {"expires": fx.days_ago(2)}),
		"n": with_version("n", {"not_before": fx.now + (3 * fx.day)}),
	}
	fx.statuses(rule.findings) == {["d", "fail"], ["e", "fail"], ["n", "fail"]} with input as fx.vault_input(objs)
	some f in rule.findings with input as fx.vault_input({"e": with_version("e", {"expires": fx.days_ago(2), "enabled": false})})
	f.message == "current version v1 of 'project/cab/e' is disabled, expired 2 days ago"
	some g in rule.findings with input as fx.vault_input({"n": with_version("n", {"not_before": fx.now + (3 * fx.day)})})
	g.message == "current version v1 of 'project/cab/n' is not valid for another 3 days"
}

test_disabled_objects_not_judged if {
	count(rule.findings) == 0 with input as fx.vault_input({"x": fx.obj("x", "secret", "p", 1, {"enabled": false})})
}

# A KV v2 secret (as the collector records it) whose current version v2 was soft-deleted while v1 is live.
kv2(current) := fx.obj("k", "secret", "secret/project/cab/k", 10, {
	"enabled": object.get(current, "enabled", true),
	"current_version": "2",
	"versions": {
		"1": {"created": fx.days_ago(40), "updated": fx.days_ago(40), "expires": null, "not_before": null, "enabled": true, "deleted_at": null, "destroyed": false},
		"2": object.union({"created": fx.days_ago(10), "updated": fx.days_ago(10), "expires": null, "not_before": null, "enabled": true, "deleted_at": null, "destroyed": false}, current),
	},
})

# Issue 15: the current version soft-deleted, an older one still live: judged, and it fails.
test_soft_deleted_current_version_fails if {
	some f in rule.findings with input as fx.vault_input({"k": kv2({"enabled": false, "deleted_at": fx.days_ago(2)})})
	f.status == "fail"
	f.metric.value == false
	f.message == "current version 2 of 'secret/project/cab/k' is deleted 2 days ago"
}

test_destroyed_current_version_fails if {
	some f in rule.findings with input as fx.vault_input({"k": kv2({"enabled": false, "destroyed": true})})
	f.status == "fail"
	f.message == "current version 2 of 'secret/project/cab/k' is destroyed"
}

# Issue 15: a scheduled deletion (delete_version_after) still ahead leaves the version active; once
# passed, the version is deleted.
test_scheduled_deletion_ahead_is_active if {
	some f in rule.findings with input as fx.vault_input({"k": kv2({"deleted_at": fx.now + (5 * fx.day)})})
	f.status == "pass"
	f.message == "current version 2 of 'secret/project/cab/k' is active"
}

test_current_version_state_not_collected_is_error if {
	o := json.patch(kv2({}), [{"op": "remove", "path": "/versions/2/enabled"}])
	some f in rule.findings with input as fx.vault_input({"k": o})
	f.status == "error"
	f.metric.value == null
}
