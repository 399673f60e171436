package vaultproof.rules.rotation.audit_hold_test

import data.vaultproof.rules.rotation.audit_hold as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

vid := fx.azure_vault({}).id

azure(config) := {"kind": "vault", "now": fx.now, "vault": fx.azure_vault({"config": object.union(fx.azure_vault({}).config, config)})}

test_azure_retention_at_least_hold_passes if {
	some f in rule.findings with input as azure({})
	f.status == "pass"
	f.metric == {"name": "AuditHoldDays", "value": 90, "op": ">=", "threshold": 7}
}

test_azure_soft_delete_off_fails_and_unknown_is_error if {
	fx.statuses(rule.findings) == {[vid, "fail"]} with input as azure({"soft_delete": false})
	fx.statuses(rule.findings) == {[vid, "error"]} with input as azure({"soft_delete_retention_days": null})
}

kv(path, dva, maxv) := {"path": path, "type": "kv", "kv_version": 2, "max_versions": maxv, "delete_version_after_seconds": dva, "cas_required": false, "default_lease_ttl": 0, "max_lease_ttl": 0}

mounts_input(mounts) := fx.hashi_input({"hashicorp": object.union(fx.hashi_vault({}).hashicorp, {"mounts": mounts})})

test_kv_mount_settings if {
	mounts := {
		"a/": kv("a/", 0, 0),
		"b/": kv("b/", 30 * fx.day, 5),
		"c/": kv("c/", 3 * fx.day, 10),
		"d/": kv("d/", 0, 1),
		"e/": kv("e/", null, 0),
	}
	fx.statuses(rule.findings) == {
		["hashicorp-vault:hv:mount:a/", "pass"], ["hashicorp-vault:hv:mount:b/", "pass"],
		["hashicorp-vault:hv:mount:c/", "fail"], ["hashicorp-vault:hv:mount:d/", "fail"],
		["hashicorp-vault:hv:mount:e/", "error"],
	} with input as mounts_input(mounts)
}

test_kv_mount_messages if {
	some a in rule.findings with input as mounts_input({"a/": kv("a/", 0, 0)})
	a.message == "a/ keeps superseded versions (delete_version_after: never, max_versions: 10)"
	a.metric.value == "unlimited"
	some b in rule.findings with input as mounts_input({"b/": kv("b/", 30 * fx.day, 5)})
	b.message == "b/ keeps superseded versions (delete_version_after: 30 days, max_versions: 5)"
	some c in rule.findings with input as mounts_input({"c/": kv("c/", 3 * fx.day, 1)})
	c.message == "c/: delete_version_after removes versions after 3 days; max_versions 1 drops the previous version on rotation"
}

ver(age, extra) := object.union({"created": fx.days_ago(age), "updated": fx.days_ago(age), "expires": null, "not_before": null, "enabled": true}, extra)

secret(versions, current) := object.union(object.remove(fx.obj("s", "secret", "secret/project/cab/x", 1, {}), ["versions"]), {"versions": versions, "current_version": current})

test_versions_deleted_after_the_hold_pass if {
	o := secret({"1": ver(40, {"deleted_at": fx.days_ago(20)}), "2": ver(30, {"destroyed": true}), "3": ver(9, {})}, "3")
	some f in rule.findings with input as fx.vault_input({"s": o})
	f.resource.id == "s"
	f.status == "pass"
	f.message == "'secret/project/cab/x': 2 superseded version(s) removed, the earliest 9 days after being replaced"
}

test_version_removed_early_fails if {
	o := secret({"1": ver(40, {}), "2": ver(10, {"deleted_at": fx.days_ago(1)}), "3": ver(2, {"destroyed": true}), "4": ver(1, {})}, "4")
	some f in rule.findings with input as fx.vault_input({"s": o})
	f.resource.id == "s"
	f.status == "fail"
	f.metric.value == 1
	f.message == "'secret/project/cab/x': version(s) 2, 3 removed before the 7-day audit hold ended"
}

# Regression (issue 17, real Vault): under delete_version_after Vault reports every version's
# scheduled deletion as deletion_time, in the future; a version destroyed right after it was replaced
# keeps that future time. It was removed now (destroy records no time), not at the scheduled time.
test_destroyed_version_with_a_scheduled_deletion_is_removed_now if {
	o := secret({"1": ver(2, {"deleted_at": fx.days_ago(-29), "destroyed": true, "enabled": false}), "2": ver(1, {"deleted_at": fx.days_ago(-29), "destroyed": false})}, "2")
	some f in rule.findings with input as fx.vault_input({"s": o})
	f.resource.id == "s"
	f.status == "fail"
	f.message == "'secret/project/cab/x': version(s) 1 removed before the 7-day audit hold ended"
}

# Without its destroyed flag, a version with a deletion still ahead may be gone already: error.
test_version_with_a_scheduled_deletion_and_no_destroyed_flag_is_error if {
	unflagged := object.remove(ver(2, {"deleted_at": fx.days_ago(-29), "enabled": false}), ["destroyed"])
	o2 := secret({"1": unflagged, "2": ver(1, {"deleted_at": fx.days_ago(-29), "destroyed": false})}, "2")
	some g in rule.findings with input as fx.hashi_input({"objects": {"s": o2}})
	g.resource.id == "s"
	g.status == "error"
}

test_objects_without_removed_versions_not_judged if {
	o := secret({"1": ver(40, {}), "2": ver(1, {})}, "2")
	fx.statuses(rule.findings) == {[vid, "pass"]} with input as fx.vault_input({"s": o})
}

# A KV v2 secret keeping versions 4..5 (max_versions 2): versions 1..3 were dropped by max_versions.
kv_ver(days_old) := {"created": fx.days_ago(days_old), "updated": fx.days_ago(days_old), "expires": null, "not_before": null, "enabled": true, "deleted_at": null, "destroyed": false}

dropping(v4, v5, max_versions) := fx.obj("k", "secret", "secret/project/cab/k", v5, {
	"current_version": "5", "oldest_version": 4, "max_versions": max_versions,
	"updated": fx.days_ago(v5),
	"versions": {"4": kv_ver(v4), "5": kv_ver(v5)},
})

# Issue 15: version 3, replaced by version 4 two days before version 5 pushed it out: dropped early.
test_version_dropped_by_max_versions_before_the_hold_fails if {
	some f in rule.findings with input as fx.vault_input({"k": dropping(12, 10, 2)})
	f.status == "fail"
	f.metric == {"name": "AuditHoldDays", "value": 2, "op": ">=", "threshold": 7}
	f.message == "'secret/project/cab/k': version(s) 3 removed before the 7-day audit hold ended"
}

test_version_dropped_by_max_versions_after_the_hold_passes if {
	some f in rule.findings with input as fx.vault_input({"k": dropping(40, 10, 2)})
	f.status == "pass"
	f.metric.value == 30
}

# max_versions not recorded: the drop is provably early only when even the last metadata update is.
test_drop_time_unknown_is_error if {
	some f in rule.findings with input as fx.vault_input({"k": dropping(40, 10, null)})
	f.status == "error"
	f.metric.value == null
	f.message == "'secret/project/cab/k': version(s) 3 dropped by max_versions at a time the metadata does not tell: whether the 7-day audit hold was kept is unknown"
	some g in rule.findings with input as fx.vault_input({"k": dropping(12, 10, null)})
	g.status == "fail"
}

test_nothing_dropped_not_judged if {
	not rule.findings.k with input as fx.vault_input({"k": object.union(dropping(12, 10, 2), {"oldest_version": 0})})
	rule.findings.k with input as fx.vault_input({"k": dropping(12, 10, 2)})
}

# Issue 15, property 1 (less evidence is never greener): a KV mount whose kv_version was nulled had
# no AuditHoldDays finding at all (the demo's secret/ passed, ci/ failed).
test_kv_mount_of_unknown_version_is_error if {
	m := object.union(kv("x/", 0, 0), {"kv_version": null})
	some f in rule.findings with input as mounts_input({"x/": m})
	f.resource.id == "hashicorp-vault:hv:mount:x/"
	f.status == "error"
	f.message == "the KV version of x/ could not be read: whether it keeps superseded versions is unknown"
}

# Issue 15, property 1: nulling the creation time of the version that replaced a deleted one took
# the object's finding away (the demo's host-token-03 failed, then had none). Any unread creation
# time could be the replacement's, so the removal cannot be measured: error.
test_removed_version_with_unread_replacement_time_is_error if {
	o := secret({"1": ver(40, {"deleted_at": fx.days_ago(39)}), "2": ver(30, {"created": null}), "3": ver(9, {})}, "3")
	some f in rule.findings with input as fx.vault_input({"s": o})
	f.resource.id == "s"
	f.status == "error"
	f.metric.value == null
	f.message == "'secret/project/cab/x': when version(s) 1 were replaced is unknown (a creation time could not be read): whether the 7-day audit hold was kept is unknown"
}

# Issue 15, property 1: deleting `destroyed` from a superseded HashiCorp KV v2 version (destroyed:
# true) took the object's finding away (the demo's host-token-03 failed, then had none): whether
# that version was removed is unknown. The same for a version without `deleted_at`.
test_superseded_vault_version_without_destroyed_flag_is_error if {
	kept := ver(30, {"deleted_at": null, "destroyed": false})
	unflagged := object.remove(ver(20, {"deleted_at": null}), ["destroyed"])
	o := secret({"1": kept, "2": unflagged, "3": ver(9, {"deleted_at": null, "destroyed": false})}, "3")
	inp := fx.hashi_input({"objects": {"s": o}})
	some f in rule.findings with input as inp
	f.resource.id == "s"
	f.status == "error"
	f.message == "'secret/project/cab/x': whether version(s) 2 were deleted or destroyed could not be read: whether the 7-day audit hold was kept is unknown"
	# Nor is a version without its deletion time (null would say: not deleted).
	undated := object.remove(kept, ["deleted_at"])
	o2 := secret({"1": undated, "2": kept, "3": ver(9, {"deleted_at": null, "destroyed": false})}, "3")
	some g in rule.findings with input as fx.hashi_input({"objects": {"s": o2}})
	g.status == "error"
	g.message == "'secret/project/cab/x': whether version(s) 1 were deleted or destroyed could not be read: whether the 7-day audit hold was kept is unknown"
	# The same versions on an Azure vault (which has no destroyed flag) are not judged.
	ids := {g.resource.id | some g in rule.findings} with input as fx.vault_input({"s": o})
	not "s" in ids
}
