package vaultproof.rules.replication.fallback_synced_test

import data.vaultproof.rules.replication.fallback_synced as rule
import data.vaultproof.rules.replication.replication_lag_test as lagtest
import data.vaultproof.test.fixtures as fx
import rego.v1

with_writes(inp, allowed) := json.patch(inp, [{"op": "add", "path": "/replication/pair/writes_permitted_on_secondary", "value": allowed}])

behind := lagtest.fleet({"secret/a": lagtest.entry(fx.now - 900, fx.now - 9000)})

test_synced_fallback_passes if {
	some f in rule.findings with input as with_writes(lagtest.fleet({"secret/a": lagtest.entry(1, 2)}), true)
	f.status == "pass"
	f.metric == {"name": "FallbackVaultSynced", "value": true, "op": "==", "threshold": true}
}

test_behind_but_read_only_passes if {
	some f in rule.findings with input as with_writes(behind, false)
	f.status == "pass"
	f.metric.value == false
	f.message == "kv-neu is 1 item(s) behind and stays read-only until synced"
}

test_behind_with_writes_permitted_fails if {
	some f in rule.findings with input as with_writes(behind, true)
	f.status == "fail"
	f.message == "kv-neu is 1 item(s) behind but writes are permitted on it"
}

test_unmeasurable_pair_is_error if {
	some f in rule.findings with input as lagtest.enterprise(null)
	f.status == "error"
}

# Issue 15: nothing collected about writes on a fallback that is behind used to count as read-only.
test_behind_with_writability_not_collected_is_error if {
	some f in rule.findings with input as behind
	f.status == "error"
	f.message == "kv-neu is 1 item(s) behind and whether writes are permitted on it is not known: nothing was collected about whether it accepts writes"
}

fleet_with_access(access, grants, principals) := json.patch(behind, [
	{"op": "add", "path": "/replication/pair/secondary_access", "value": access},
	{"op": "add", "path": "/grants", "value": grants},
	{"op": "add", "path": "/principals", "value": principals},
])

principals := {
	"app": {"id": "app", "provider": "azure-keyvault", "type": "service-principal", "display_name": "app-sp", "auth_methods": ["unknown"], "member_of": []},
	"admins": {"id": "admins", "provider": "azure-keyvault", "type": "group", "display_name": "platform-admins", "auth_methods": [], "member_of": [], "subsystem": "platform-admin"},
	"alice": {"id": "alice", "provider": "azure-keyvault", "type": "user", "display_name": "alice", "auth_methods": ["unknown"], "member_of": ["admins"]},
}

grant(id, principal, caps) := {"id": id, "principal": principal, "vault": "s", "scope": "*", "capabilities": caps, "source": "access-policy"}

# Azure: a non-admin service principal with set/delete on the fallback while it is behind.
test_behind_fallback_writable_by_non_admin_fails if {
	g := {"g1": grant("g1", "app", ["list", "read-metadata", "write"]), "g2": grant("g2", "alice", ["write", "delete"])}
	inp := fleet_with_access({"locks": [{"id": "l1", "level": "CanNotDelete"}], "grants_read": true}, g, principals)
	some f in rule.findings with input as inp
	f.status == "fail"
	f.message == "kv-neu is 1 item(s) behind but writes are permitted on it (non-admin write access: app-sp); locks: CanNotDelete"
}

# Only admins (and readers) hold write access: the fallback is read-only for the workloads.
test_behind_fallback_writable_only_by_admins_passes if {
	g := {"g1": grant("g1", "app", ["list", "read-metadata", "read-value"]), "g2": grant("g2", "alice", ["write", "delete"])}
	inp := fleet_with_access({"locks": [{"id": "l1", "level": "ReadOnly"}], "grants_read": true}, g, principals)
	some f in rule.findings with input as inp
	f.status == "pass"
	f.message == "kv-neu is 1 item(s) behind and stays read-only until synced; locks: ReadOnly"
}

# manage-access lets a principal grant itself writes, unless a ReadOnly lock freezes the access configuration.
test_manage_access_counts_as_write_without_read_only_lock if {
	g := {"g1": grant("g1", "app", ["manage-access"])}
	some f in rule.findings with input as fleet_with_access({"locks": [], "grants_read": true}, g, principals)
	f.status == "fail"
	some p in rule.findings with input as fleet_with_access({"locks": [{"id": "l", "level": "ReadOnly"}], "grants_read": true}, g, principals)
	p.status == "pass"
}

test_behind_fallback_with_unreadable_locks_is_error if {
	inp := fleet_with_access({"locks": null, "grants_read": true, "unread": "management locks: HTTP 403"}, {}, principals)
	some f in rule.findings with input as inp
	f.status == "error"
	f.message == "kv-neu is 1 item(s) behind and whether writes are permitted on it is not known: management locks: HTTP 403"
}

test_behind_fallback_with_unread_role_assignments_is_error if {
	inp := fleet_with_access({"locks": [], "grants_read": false}, {}, principals)
	some f in rule.findings with input as inp
	f.status == "error"
}

# Vault: a secondary promoted (mode primary) or standalone takes writes; a replication secondary does not.
enterprise_behind(extra) := lagtest.enterprise(object.union({"state": "running", "connection_state": "connected", "last_heartbeat": fx.now - 2, "primary_last_wal": 200, "secondary_last_wal": 100, "canary_age_seconds": 30}, extra))

test_vault_secondary_behind_and_promoted_fails if {
	inp := json.patch(enterprise_behind({"secondary_mode": "primary"}), [{"op": "add", "path": "/replication/dr/writes_permitted_on_secondary", "value": true}])
	some f in rule.findings with input as inp
	f.status == "fail"
	f.message == "vault-neu is 100 WAL entries behind but writes are permitted on it"
}

test_vault_replication_secondary_behind_passes if {
	inp := json.patch(enterprise_behind({"secondary_mode": "secondary"}), [{"op": "add", "path": "/replication/dr/writes_permitted_on_secondary", "value": false}])
	some f in rule.findings with input as inp
	f.status == "pass"
	f.message == "vault-neu is 100 WAL entries behind and stays read-only until synced"
}

test_vault_secondary_behind_with_unknown_mode_is_error if {
	some f in rule.findings with input as enterprise_behind({})
	f.status == "error"
}

test_vault_secondary_synced_passes_whatever_its_mode if {
	some f in rule.findings with input as lagtest.enterprise({"state": "running", "connection_state": "connected", "last_heartbeat": fx.now - 2, "primary_last_wal": 200, "secondary_last_wal": 200})
	f.status == "pass"
	f.metric.value == true
}

# Issue 15, property 1 (less evidence is never greener): a Vault secondary disconnected past the lag
# limit whose WAL position was nulled fails ReplicationLag, but FallbackVaultSynced had no finding
# at all for the pair (the demo's vault-weu -> vault-uks passed, then had none): its sync is unknown.
test_secondary_without_wal_position_past_the_lag_limit_is_error if {
	s := {"state": "running", "connection_state": "disconnected", "last_heartbeat": fx.now - 3600, "primary_last_wal": 918273, "secondary_last_wal": null, "secondary_mode": "secondary"}
	some f in rule.findings with input as lagtest.enterprise(s)
	f.status == "error"
	f.message == "fallback sync cannot be determined: the secondary's WAL position (last_remote_wal) could not be read"
}
