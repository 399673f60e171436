package vaultproof.rules.hashicorp.replication_connected_test

import data.vaultproof.rules.hashicorp.replication_connected as rule
import data.vaultproof.rules.replication.replication_lag_test as lagtest
import data.vaultproof.test.fixtures as fx
import rego.v1

# Issue 15, property 1: a status that does not state the secondary's connection (or the replication
# state) gave the pair no finding at all; it is error now (connection unknown), never nothing.
test_status_without_connection_state_is_error if {
	s := {"state": "running", "last_heartbeat": fx.now - 2, "primary_last_wal": 1, "secondary_last_wal": 1}
	some f in rule.findings with input as lagtest.enterprise(s)
	f.status == "error"
	f.message == "the replication status could not be read"
}

test_status_without_replication_state_still_judges_the_connection if {
	s := {"connection_state": "disconnected", "last_heartbeat": fx.now - 2, "primary_last_wal": 1, "secondary_last_wal": 1}
	some f in rule.findings with input as lagtest.enterprise(s)
	f.status == "fail"
	f.message == "secondary vault-neu is disconnected (replication state unknown)"
}

fleet(status) := {"kind": "fleet", "now": fx.now, "vaults": {"hv": {"id": "hv", "provider": "hashicorp-vault", "name": "vault-weu", "region": "westeurope", "role": "primary"}}, "replication": {"dr": {
	"id": "dr", "primary": "hv", "secondary": "vault-neu", "method": "vault-enterprise", "status": status,
}}}

st(conn, state) := {"state": state, "connection_state": conn, "last_heartbeat": fx.now - 5, "primary_last_wal": 1, "secondary_last_wal": 1}

test_replication_connection if {
	some f in rule.findings with input as fleet(st("connected", "stream-wals"))
	f.status == "pass"
	f.message == "secondary vault-neu is connected (replication state stream-wals)"
	fx.statuses(rule.findings) == {["dr", "fail"]} with input as fleet(st("disconnected", "idle"))
	fx.statuses(rule.findings) == {["dr", "error"]} with input as fleet(null)
}
