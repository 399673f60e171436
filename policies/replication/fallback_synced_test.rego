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
