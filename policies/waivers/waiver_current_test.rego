package vaultproof.rules.waivers.waiver_current_test

import data.vaultproof.rules.waivers.waiver_current as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

waiver(expires_epoch, expires) := {
	"rule_id": "VP-ROT-001", "resource": "*orchestrator*", "expires": expires, "expires_epoch": expires_epoch,
	"matched": [{"provider": "azure-keyvault", "vault": "kv-a", "id": "https://kv-a/certificates/orchestrator"}],
}

test_waiver_in_force_passes if {
	some f in rule.findings with input as {"kind": "waivers", "now": fx.now, "waivers": [waiver(fx.now + (10 * fx.day), "2026-12-09")]}
	f.status == "pass"
	f.metric.value == 10
	f.resource.id == "https://kv-a/certificates/orchestrator#VP-ROT-001"
	f.message == "waiver of VP-ROT-001 expires on 2026-12-09 (10 days left)"
}

test_expired_waiver_fails if {
	some f in rule.findings with input as {"kind": "waivers", "now": fx.now, "waivers": [waiver(fx.now - fx.day, "2026-11-28")]}
	f.status == "fail"
	f.message == "waiver of VP-ROT-001 expired on 2026-11-28; the finding it covered fails again"
}

test_other_inputs_yield_nothing if {
	count(rule.findings) == 0 with input as fx.vault_input({})
}
