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

# Issue 15: an expired waiver kept above its renewal aborted the scan (conflicting findings for one key).
test_renewed_waiver_above_its_expired_entry_reports_the_one_in_force if {
	expired := waiver(fx.now - fx.day, "2026-11-28")
	renewed := object.union(waiver(fx.now + (10 * fx.day), "2026-12-09"), {"resource": "*orchestrator"})
	fs := rule.findings with input as {"kind": "waivers", "now": fx.now, "waivers": [expired, renewed]}
	count(fs) == 1
	some f in fs
	f.status == "pass"
	f.metric.value == 10
	f.resource.path == "*orchestrator"
	f.message == "waiver of VP-ROT-001 expires on 2026-12-09 (10 days left); 2 waivers cover this finding (renewed or overlapping): the one expiring last decides"
}

test_overlapping_waivers_with_one_expiry_report_the_first if {
	a := waiver(fx.now + (10 * fx.day), "2026-12-09")
	b := object.union(a, {"resource": "*"})
	fs := rule.findings with input as {"kind": "waivers", "now": fx.now, "waivers": [a, b, b]}
	count(fs) == 1
	some f in fs
	f.resource.path == "*orchestrator*"
}
