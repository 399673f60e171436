package vaultproof.rules.process.vault_outage_drill_test

import data.vaultproof.rules.process.vault_outage_drill as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

vault_id := fx.azure_vault({}).id

process(drills) := {
	"hsm_failovers": {}, "hsm_attestations": {}, "packaging_pauses": {}, "compromises": {},
	"notifications": {}, "break_glass": {}, "outage_drills": drills,
}

drill(id, days, blocked) := {"drill_id": id, "started_at": fx.days_ago(days), "ended_at": fx.days_ago(days) + 3600, "blocked": blocked, "publishes_attempted": 3}

inp(drills) := fx.events_input({}, {"window": fx.window, "process": process(drills)})

only(findings) := f if {
	count(findings) == 1
	some f in findings
}

test_recent_blocking_drill_passes if {
	f := only(rule.findings) with input as inp({vault_id: drill("DR-7", 20, true)})
	f.status == "pass"
	f.message == "drill DR-7 20 days ago: publishes were blocked while the vault was down"
}

test_fleet_drill_covers_the_vault_and_the_latest_wins if {
	f := only(rule.findings) with input as inp({vault_id: drill("DR-1", 60, false), "*": drill("DR-2", 10, true)})
	f.status == "pass"
}

test_publishes_proceeding_fails if {
	f := only(rule.findings) with input as inp({vault_id: drill("DR-8", 5, false)})
	f.status == "fail"
	f.message == "drill DR-8 5 days ago: publishes proceeded while the vault was down"
}

test_stale_drill_fails if {
	f := only(rule.findings) with input as inp({"*": drill("DR-3", 200, true)})
	f.status == "fail"
	f.message == "drill DR-3 200 days ago: publishes were blocked while the vault was down; the drill is stale (more than 92 days old)"
}

test_no_drill_is_error if {
	f := only(rule.findings) with input as inp({})
	f.status == "error"
	f.message == "no evidence on record: no vault-outage drill of this vault (or of every vault) is on record"
}

test_missing_records_is_error if {
	f := only(rule.findings) with input as fx.events_input({}, null)
	f.status == "error"
}

test_secondary_not_judged if {
	count(rule.findings) == 0 with input as object.union(inp({}), {"vault": {"role": "secondary"}})
}

test_drill_lacking_its_outcome_is_error if {
	f := only(rule.findings) with input as inp({vault_id: object.remove(drill("DR-9", 5, false), ["blocked"])})
	f.status == "error"
}
