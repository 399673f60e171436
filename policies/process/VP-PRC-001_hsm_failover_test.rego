package vaultproof.rules.process.hsm_failover_test

import data.vaultproof.rules.process.hsm_failover as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

vault_id := fx.azure_vault({}).id

signing := {"sk": fx.obj("sk", "key", "project/packaging/signing/authenticode", 10, {})}

sha := "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

failover(overrides) := object.union({
	"started_at": fx.days_ago(5), "ended_at": fx.days_ago(4), "secondary_key": "sk", "vault": vault_id,
	"requester": "ops@contoso.example", "first_use_at": fx.days_ago(5) + 3600, "evidence_pack_sha256": sha,
	"approvals": [{"approver": "owner@contoso.example", "approved_at": fx.days_ago(5) + 600}],
}, overrides)

pause := {"p1": {"pipeline": "packaging", "paused_at": fx.days_ago(5) - 60, "resumed_at": fx.days_ago(4) + 60, "failover_id": "FO-1"}}

process(overrides) := object.union({
	"hsm_failovers": {}, "hsm_attestations": {}, "packaging_pauses": {}, "compromises": {},
	"notifications": {}, "break_glass": {}, "outage_drills": {},
}, overrides)

inp(p) := fx.events_input(signing, {"window": fx.window, "process": p})

only(findings) := f if {
	count(findings) == 1
	some f in findings
}

test_controlled_failover_passes if {
	f := only(rule.findings) with input as inp(process({"hsm_failovers": {"FO-1": failover({})}, "packaging_pauses": pause}))
	f.status == "pass"
	f.metric.value == true
	f.message == "1 HSM failover(s) in the window (FO-1): the secondary key used only after SigningOwnerApproval, packaging paused throughout, new evidence pack referenced once ended"
}

test_approval_by_requester_after_use_without_pause_or_pack_fails if {
	bad := failover({"evidence_pack_sha256": null, "approvals": [
		{"approver": "ops@contoso.example", "approved_at": fx.days_ago(5)},
		{"approver": "owner@contoso.example", "approved_at": fx.days_ago(5) + 7200},
	]})
	f := only(rule.findings) with input as inp(process({"hsm_failovers": {"FO-2": bad}}))
	f.status == "fail"
	f.message == "failover FO-2 (project/packaging/signing/authenticode): it ended without a new evidence pack referenced; no packaging pause covers the failover; the secondary key was used before any SigningOwnerApproval by someone other than the requester"
}

test_pause_resumed_before_the_failover_ended_fails if {
	short := {"p1": object.union(pause.p1, {"resumed_at": fx.days_ago(4) - 60})}
	f := only(rule.findings) with input as inp(process({"hsm_failovers": {"FO-1": failover({})}, "packaging_pauses": short}))
	f.status == "fail"
	contains(f.message, "no packaging pause covers the failover")
}

test_ongoing_unused_failover_needs_pause_only if {
	ongoing := failover({"ended_at": null, "first_use_at": null, "evidence_pack_sha256": null, "approvals": []})
	open_pause := {"p1": object.union(pause.p1, {"resumed_at": null})}
	f := only(rule.findings) with input as inp(process({"hsm_failovers": {"FO-3": ongoing}, "packaging_pauses": open_pause}))
	f.status == "pass"
}

test_current_attestation_of_no_failover_passes if {
	att := {"*": {"attestation_id": "HSM-2026-10", "from": fx.days_ago(40), "to": fx.days_ago(10), "failovers": 0, "attested_by": "ciso@contoso.example", "attested_at": fx.days_ago(9)}}
	f := only(rule.findings) with input as inp(process({"hsm_attestations": att}))
	f.status == "pass"
	f.message == "no HSM failover in the window; attestation HSM-2026-10 by ciso@contoso.example (0 failover(s) in its period, ended 10 days ago) covers the vault"
}

test_stale_attestation_fails if {
	att := {vault_id: {"attestation_id": "HSM-2026-07", "from": fx.days_ago(120), "to": fx.days_ago(90), "failovers": 0, "attested_by": "ciso", "attested_at": fx.days_ago(89)}}
	f := only(rule.findings) with input as inp(process({"hsm_attestations": att}))
	f.status == "fail"
	f.message == "the latest attestation (HSM-2026-07) ended 90 days ago, more than 31"
}

test_attested_failover_without_record_fails if {
	att := {vault_id: {"attestation_id": "HSM-2026-11", "from": fx.days_ago(30), "to": fx.days_ago(1), "failovers": 1, "attested_by": "ciso", "attested_at": fx.days_ago(1)}}
	f := only(rule.findings) with input as inp(process({"hsm_attestations": att}))
	f.status == "fail"
	f.message == "attestation HSM-2026-11 declares 1 failover(s) in its period but 0 are on record"
}

test_no_failover_and_no_attestation_is_error if {
	f := only(rule.findings) with input as inp(process({}))
	f.status == "error"
	startswith(f.message, "no evidence on record: ")
}

test_missing_process_records_is_error if {
	f := only(rule.findings) with input as fx.events_input(signing, null)
	f.status == "error"
	f.message == "HSM failover evidence cannot be checked: the snapshot carries no event facts"
	g := only(rule.findings) with input as fx.events_input(signing, {"window": fx.window})
	g.message == "HSM failover evidence cannot be checked: the event facts carry no process section"
}

test_vault_without_signing_keys_not_judged if {
	count(rule.findings) == 0 with input as fx.events_input({}, {"window": fx.window, "process": process({})})
}

test_failover_record_lacking_a_field_is_error if {
	damaged := object.remove(failover({}), ["first_use_at"])
	f := only(rule.findings) with input as inp(process({"hsm_failovers": {"FO-1": damaged}, "packaging_pauses": pause}))
	f.status == "error"
	startswith(f.message, "no evidence on record: an HSM failover or attestation record lacks fields")
}
