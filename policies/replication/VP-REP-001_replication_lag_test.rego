package vaultproof.rules.replication.replication_lag_test

import data.vaultproof.rules.replication.replication_lag as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

vaults := {
	"p": {"id": "p", "provider": "azure-keyvault", "name": "kv-weu", "region": "westeurope", "role": "primary"},
	"s": {"id": "s", "provider": "azure-keyvault", "name": "kv-neu", "region": "northeurope", "role": "secondary"},
}

entry(p_created, s_created) := {
	"primary": {"version": "v2", "created": p_created, "source_version": null},
	"secondary": {"version": "x9", "created": s_created, "source_version": null},
}

fleet(objects) := {"kind": "fleet", "now": fx.now, "vaults": vaults, "replication": {"pair": {
	"id": "pair", "primary": "p", "secondary": "s", "method": "version-compare", "objects": objects,
}}}

test_synced_pair_has_zero_lag if {
	some f in rule.findings with input as fleet({"secret/a": entry(fx.now - 600, fx.now - 590)})
	f.status == "pass"
	f.metric == {"name": "VaultReplicationLagMinutes", "value": 0, "op": "<=", "threshold": 5}
}

test_lag_under_five_minutes_passes if {
	some f in rule.findings with input as fleet({"secret/a": entry(fx.now - 150, fx.now - 9000)})
	f.status == "pass"
	f.metric.value == 2.5
	f.message == "replication lag to kv-neu is 2.5 minutes (150 s; 1 item(s) behind); the limit is 5 minutes"
}

test_lag_over_five_minutes_fails if {
	some f in rule.findings with input as fleet({"secret/a": entry(fx.now - 900, fx.now - 9000), "secret/b": entry(fx.now - 60, fx.now)})
	f.status == "fail"
	f.metric.value == 15
}

test_missing_on_secondary_counts_as_behind if {
	some f in rule.findings with input as fleet({"secret/a": {"primary": {"version": "v1", "created": fx.now - 3600, "source_version": null}, "secondary": null}})
	f.status == "fail"
	f.metric.value == 60
}

test_source_version_tag_marks_synced if {
	e := {"primary": {"version": "v2", "created": fx.now - 900, "source_version": null}, "secondary": {"version": "x", "created": fx.now - 9000, "source_version": "v2"}}
	some f in rule.findings with input as fleet({"secret/a": e})
	f.status == "pass"
}

test_missing_secondary_vault_is_error if {
	inp := json.patch(fleet({}), [{"op": "remove", "path": "/vaults/s"}])
	some f in rule.findings with input as inp
	f.status == "error"
	f.message == "replication lag cannot be measured: the secondary vault is not in the snapshot"
}

enterprise(status) := {"kind": "fleet", "now": fx.now, "vaults": {"hv": {"id": "hv", "provider": "hashicorp-vault", "name": "vault-weu", "region": "westeurope", "role": "primary"}}, "replication": {"dr": {
	"id": "dr", "primary": "hv", "secondary": "vault-neu", "method": "vault-enterprise", "status": status,
}}}

test_enterprise_caught_up_passes if {
	s := {"state": "running", "connection_state": "connected", "last_heartbeat": fx.now - 5, "primary_last_wal": 100, "secondary_last_wal": 100}
	some f in rule.findings with input as enterprise(s)
	f.status == "pass"
	f.resource.path == "vault-neu"
}

test_enterprise_behind_with_stale_heartbeat_fails if {
	s := {"state": "running", "connection_state": "disconnected", "last_heartbeat": fx.now - 1200, "primary_last_wal": 180, "secondary_last_wal": 100}
	some f in rule.findings with input as enterprise(s)
	f.status == "fail"
	f.metric.value == 20
}

test_enterprise_unreadable_status_is_error if {
	some f in rule.findings with input as enterprise(null)
	f.status == "error"
}

test_missing_primary_is_error if {
	inp := {"kind": "fleet", "now": fx.now, "vaults": {}, "replication": {"x": {"id": "x", "primary": "gone", "secondary": "s", "method": "version-compare", "objects": {}}}}
	some f in rule.findings with input as inp
	f.status == "error"
	f.resource.vault == "gone"
}

# Issue 15: lag is compared in seconds. 302 s used to round to 5.0 minutes and pass a 5-minute limit.
test_lag_of_302_seconds_fails_a_five_minute_limit if {
	some f in rule.findings with input as fleet({"secret/a": entry(fx.now - 302, fx.now - 9000)})
	f.status == "fail"
	f.metric.value == 5.1
	f.message == "replication lag to kv-neu is 5.1 minutes (302 s; 1 item(s) behind); the limit is 5 minutes"
}

test_lag_of_exactly_five_minutes_passes if {
	some f in rule.findings with input as fleet({"secret/a": entry(fx.now - 300, fx.now - 9000)})
	f.status == "pass"
	f.metric.value == 5
}

# Issue 15: a secondary millions of WAL entries behind with a fresh heartbeat used to pass (lag was
# the time since the last heartbeat). The canary age says how long it has been behind.
test_enterprise_far_behind_with_fresh_heartbeat_fails if {
	s := {
		"state": "running", "connection_state": "connected", "last_heartbeat": fx.now - 2,
		"primary_last_wal": 4000000, "secondary_last_wal": 100, "secondary_mode": "secondary",
		"secondary_state": "merkle-sync", "canary_age_seconds": 5400,
	}
	some f in rule.findings with input as enterprise(s)
	f.status == "fail"
	f.metric.value == 90
	f.message == "replication lag to vault-neu is 90 minutes (5400 s; 3999900 WAL entries behind); the limit is 5 minutes"
}

# Behind with nothing saying for how long: error, never pass.
test_enterprise_behind_without_age_is_error if {
	s := {"state": "running", "connection_state": "connected", "last_heartbeat": fx.now - 2, "primary_last_wal": 4000000, "secondary_last_wal": 100}
	some f in rule.findings with input as enterprise(s)
	f.status == "error"
	f.message == "replication lag cannot be measured: the secondary is 3999900 WAL entries behind and how long could not be measured (no replication_primary_canary_age_ms; connection connected, secondary state unknown)"
}

test_enterprise_small_gap_with_fresh_canary_passes if {
	s := {"state": "running", "connection_state": "connected", "last_heartbeat": fx.now - 2, "primary_last_wal": 1500, "secondary_last_wal": 1490, "canary_age_seconds": 0.85}
	some f in rule.findings with input as enterprise(s)
	f.status == "pass"
	f.metric.value == 0.1
}

# A primary's own status shows a disconnected secondary whose WAL position nobody read (no pair in
# the config): disconnected for longer than the limit is a fail on the primary's word alone.
test_enterprise_disconnected_secondary_without_wal_fails_on_heartbeat_age if {
	s := {"state": "running", "connection_state": "disconnected", "last_heartbeat": fx.now - 3600, "primary_last_wal": 918273, "secondary_last_wal": null}
	some f in rule.findings with input as enterprise(s)
	f.status == "fail"
	f.metric.value == 60
	f.message == "replication lag to vault-neu is 60 minutes (3600 s; the secondary's WAL position could not be read); the limit is 5 minutes"
}

test_enterprise_unread_secondary_wal_recently_connected_is_error if {
	s := {"state": "running", "connection_state": "disconnected", "last_heartbeat": fx.now - 60, "primary_last_wal": 918273, "secondary_last_wal": null}
	some f in rule.findings with input as enterprise(s)
	f.status == "error"
	f.message == "replication lag cannot be measured: the secondary's WAL position (last_remote_wal) could not be read"
}

test_enterprise_without_primary_wal_is_error if {
	s := {"state": "idle", "connection_state": "connected", "last_heartbeat": fx.now - 2, "primary_last_wal": null, "secondary_last_wal": 5}
	some f in rule.findings with input as enterprise(s)
	f.status == "error"
	f.message == "replication lag cannot be measured: the primary reports no WAL index (replication state idle)"
}

test_undated_object_behind_is_error if {
	e := {"primary": {"version": "v2", "created": null, "source_version": null}, "secondary": null}
	some f in rule.findings with input as fleet({"secret/a": e})
	f.status == "error"
}

# Less evidence is never greener: a secondary disconnected for an hour with a young canary fails on
# the heartbeat age; without the heartbeat the canary alone would understate the lag, so error.
test_enterprise_disconnected_without_heartbeat_is_error_not_canary_pass if {
	s := {"state": "running", "connection_state": "disconnected", "last_heartbeat": fx.now - 3600, "primary_last_wal": 200, "secondary_last_wal": 100, "canary_age_seconds": 60}
	some f in rule.findings with input as enterprise(s)
	f.status == "fail"
	f.metric.value == 60
	some g in rule.findings with input as enterprise(json.patch(s, [{"op": "replace", "path": "/last_heartbeat", "value": null}]))
	g.status == "error"
	g.message == "replication lag cannot be measured: the secondary is 100 WAL entries behind and how long could not be measured (no last heartbeat for a secondary that is not connected; connection disconnected, secondary state unknown)"
	some h in rule.findings with input as enterprise(json.remove(s, ["connection_state"]))
	h.status == "error"
}
