package vaultproof.rules.rotation.rotation_documented_test

import data.vaultproof.rules.rotation.rotation_documented as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

ver(age) := {"created": fx.days_ago(age), "updated": fx.days_ago(age), "expires": null, "not_before": null, "enabled": true}

rotated := object.union(object.remove(fx.obj("r", "secret", "project/cab/r", 1, {}), ["versions"]), {
	"current_version": "c",
	"versions": {"a": ver(100), "b": ver(40), "c": ver(10)},
})

fresh := object.union(object.remove(fx.obj("n", "secret", "project/cab/n", 1, {}), ["versions"]), {"current_version": "a", "versions": {"a": ver(5)}})

rec(v, cid) := {"version": v, "time": fx.days_ago(10), "correlation_id": cid, "actor": "rotation-job"}

ev(records) := {"window": fx.window, "rotations": records}

test_documented_rotation_passes if {
	some f in rule.findings with input as fx.events_input({"r": rotated, "n": fresh}, ev({"r": {"c": rec("c", "chg-42")}}))
	f.status == "pass"
	f.message == "1 rotation(s) of 'project/cab/r' in the window, each recorded with a correlation id"
}

test_missing_record_or_correlation_id_fails if {
	fx.statuses(rule.findings) == {["r", "fail"]} with input as fx.events_input({"r": rotated}, ev({}))
	some f in rule.findings with input as fx.events_input({"r": rotated}, ev({"r": {"c": rec("c", null)}}))
	f.status == "fail"
	f.message == "1 of 1 rotation(s) of 'project/cab/r' have no rotation record with a correlation id (version c)"
}

test_new_objects_and_old_rotations_not_judged if {
	count(rule.findings) == 0 with input as fx.events_input({"n": fresh}, ev({}))
}

test_missing_records_is_error if {
	some f in rule.findings with input as fx.events_input({"r": rotated, "n": fresh}, null)
	f.status == "error"
	f.message == "rotations of 'project/cab/r' cannot be checked: the snapshot carries no event facts"
}

test_replica_vaults_not_judged if {
	inp := object.union(fx.events_input({"r": rotated}, ev({})), {"vault": {"role": "secondary"}})
	count(rule.findings) == 0 with input as inp
}

# A KV v1 secret as the collector records it: listed, no timestamps.
test_versions_without_creation_time_are_error if {
	o := object.union(fx.obj("k", "secret", "kv1/project/cab/k", 1, {}), {"created": null, "updated": null, "current_version": "unversioned", "versions": {"unversioned": {"created": null, "updated": null, "expires": null, "not_before": null, "enabled": true}}})
	o2 := json.patch(o, [{"op": "remove", "path": "/versions/v1"}])
	some f in rule.findings with input as fx.vault_input({"k": o2})
	f.status == "error"
	f.message == "whether 'kv1/project/cab/k' was rotated in the window cannot be told: its versions carry no creation time"
}
