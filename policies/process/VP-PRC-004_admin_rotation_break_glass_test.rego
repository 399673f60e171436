package vaultproof.rules.process.admin_rotation_break_glass_test

import data.vaultproof.rules.process.admin_rotation_break_glass as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

vault_id := fx.azure_vault({}).id

versions := {"v1": {"created": fx.days_ago(60), "updated": fx.days_ago(60), "expires": null, "not_before": null, "enabled": true}, "v2": {"created": fx.days_ago(3), "updated": fx.days_ago(3), "expires": null, "not_before": null, "enabled": true}}

objs := {"adm": fx.obj("adm", "secret", "project/control-plane/admin-sql-root", 3, {"versions": versions, "current_version": "v2"})}

process(bg) := {
	"hsm_failovers": {}, "hsm_attestations": {}, "packaging_pauses": {}, "compromises": {},
	"notifications": {}, "break_glass": bg, "outage_drills": {},
}

use(vault, at, corr) := {"object": "bg", "vault": vault, "used_at": at, "correlation_id": corr, "incident_id": null}

inp(bg, rotations) := fx.events_input(objs, {"window": fx.window, "process": process(bg), "rotations": rotations})

only(findings) := f if {
	count(findings) == 1
	some f in findings
}

test_rotation_inside_break_glass_use_passes if {
	f := only(rule.findings) with input as inp({"bg|u1": use(vault_id, fx.days_ago(3) - 3600, null)}, {})
	f.status == "pass"
	f.message == "'project/control-plane/admin-sql-root': 1 rotation(s) in the window, each inside a break-glass use"
}

test_rotation_matched_by_correlation_id_on_another_vault_passes if {
	rot := {"adm": {"v2": {"version": "v2", "time": fx.days_ago(3), "correlation_id": "chg-9", "actor": "x"}}}
	f := only(rule.findings) with input as inp({"bg|u1": use("other-vault", fx.days_ago(10), "chg-9")}, rot)
	f.status == "pass"
}

test_rotation_outside_break_glass_fails if {
	f := only(rule.findings) with input as inp({"bg|u1": use(vault_id, fx.days_ago(4), null), "bg|u2": use("other", fx.days_ago(3) - 60, null)}, {})
	f.status == "fail"
	f.message == "'project/control-plane/admin-sql-root': version(s) v2 created outside any break-glass use (none on this vault in the 12 hours before, none with the rotation's correlation id)"
}

test_missing_records_is_error if {
	f := only(rule.findings) with input as fx.events_input(objs, null)
	f.status == "error"
	startswith(f.message, "no evidence on record: ")
}

test_unrotated_and_other_keys_not_judged if {
	plain := {"k": fx.obj("k", "secret", "project/control-plane/app-setting", 3, {"versions": versions, "current_version": "v2"})}
	count(rule.findings) == 0 with input as fx.events_input(plain, null)
	old := {"adm": fx.obj("adm", "secret", "project/control-plane/admin-sql-root", 60, {})}
	count(rule.findings) == 0 with input as fx.events_input(old, null)
}
