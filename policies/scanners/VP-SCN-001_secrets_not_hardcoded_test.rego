package vaultproof.rules.scanners.secrets_not_hardcoded_test

import data.vaultproof.rules.scanners.secrets_not_hardcoded as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

leak(id, verified) := {"id": id, "rule": "aws-access-token", "file": "src/config.ts", "line": 12, "commit": "0123456789abcdef0123", "verified": verified}

report(scanned_at, time_source, leaks) := {
	"file": "scans/gitleaks.json", "format": "gitleaks", "scanner": "gitleaks", "status": "complete",
	"scanned_at": scanned_at, "time_source": time_source, "findings": leaks,
}

source(reports) := {"id": "acme/api", "path": "scans/*.json", "format": "auto", "max_age_days": null, "status": "complete", "reports": reports}

vaults := {"v": {"id": "v", "provider": "azure-keyvault", "name": "kv-weu", "region": "westeurope", "role": "primary"}}

fleet(sources) := {"kind": "fleet", "now": fx.now, "vaults": vaults, "replication": {}, "secret_scans": {"sources": sources}}

clean := fleet({"acme/api": source({"scans/gitleaks.json": report(fx.days_ago(1), "file-mtime", {})})})

# Compliant: the newest report is recent and finds nothing.
test_recent_clean_report_passes if {
	fx.statuses(rule.findings) == {["secret-scans:acme/api", "pass"]} with input as clean
	some f in rule.findings with input as clean
	f.metric == {"name": "HardcodedSecretFindings", "value": 0, "op": "==", "threshold": 0}
	f.message == "the newest report scans/gitleaks.json (gitleaks, 1 days old, scan time from the file's modification time) finds no secret"
	f.resource == {"provider": "secret-scans", "vault": "acme/api", "type": "repository", "id": "secret-scans:acme/api", "path": "scans/*.json"}
}

# Non-compliant: every finding of the newest report fails, verified or not; the entry itself gives no pass.
test_each_finding_of_the_newest_report_fails if {
	leaks := {"a": leak("a", true), "b": object.union(leak("b", false), {"line": 40}), "c": object.remove(leak("c", null), ["verified"])}
	inp := fleet({"acme/api": source({"scans/gitleaks.json": report(fx.days_ago(1), "report", leaks)})})
	fx.statuses(rule.findings) == {["secret-scans:acme/api:a", "fail"], ["secret-scans:acme/api:b", "fail"], ["secret-scans:acme/api:c", "fail"]} with input as inp
	some f in rule.findings with input as inp
	f.resource.id == "secret-scans:acme/api:a"
	f.resource.type == "leaked-secret"
	f.resource.path == "src/config.ts:12 in commit 0123456789ab"
	f.message == "gitleaks found a secret (rule aws-access-token) at src/config.ts:12 in commit 0123456789ab: verified live by the scanner (report scans/gitleaks.json)"
	some g in rule.findings with input as inp
	g.resource.id == "secret-scans:acme/api:b"
	g.message == "gitleaks found a secret (rule aws-access-token) at src/config.ts:40 in commit 0123456789ab: not verified live, still a secret in code (report scans/gitleaks.json)"
	some h in rule.findings with input as inp
	h.resource.id == "secret-scans:acme/api:c"
	h.message == "gitleaks found a secret (rule aws-access-token) at src/config.ts:12 in commit 0123456789ab: gitleaks does not verify findings: every finding counts (report scans/gitleaks.json)"
}

# The newest report judges: an older report's leak, fixed since, is superseded.
test_newest_report_supersedes_older_ones if {
	inp := fleet({"acme/api": source({
		"old.json": report(fx.days_ago(5), "report", {"a": leak("a", true)}),
		"new.json": report(fx.days_ago(1), "report", {}),
	})})
	fx.statuses(rule.findings) == {["secret-scans:acme/api", "pass"]} with input as inp
}

# Missing evidence: nothing supplied, nothing read, a stale report.
test_no_report_supplied_is_error if {
	inp := {"kind": "fleet", "now": fx.now, "vaults": vaults, "replication": {}, "secret_scans": null}
	some f in rule.findings with input as inp
	f.status == "error"
	f.resource.id == "secret-scans"
	f.metric.value == null
	fx.statuses(rule.findings) == {["secret-scans", "error"]} with input as {"kind": "fleet", "now": fx.now, "vaults": vaults, "replication": {}}
	fx.statuses(rule.findings) == {["secret-scans", "error"]} with input as fleet({})
}

# A snapshot of nothing (no vault collected) stays nothing to evaluate: the engine refuses it whole.
test_empty_snapshot_yields_nothing if {
	count(rule.findings) == 0 with input as {"kind": "fleet", "now": fx.now, "vaults": {}, "replication": {}}
}

test_stale_report_is_error if {
	inp := fleet({"acme/api": source({"scans/gitleaks.json": report(fx.days_ago(8), "report", {})})})
	some f in rule.findings with input as inp
	f.status == "error"
	f.message == "the newest report scans/gitleaks.json is 8 days old (scan time from the report); the limit is 7 days: run the scanner again and supply its report"
}

# A stale report's leaks still fail: what was seen fails, and the entry is error besides.
test_stale_report_with_leaks_fails_and_errors if {
	inp := fleet({"acme/api": source({"r.json": report(fx.days_ago(30), "report", {"a": leak("a", true)})})})
	fx.statuses(rule.findings) == {["secret-scans:acme/api", "error"], ["secret-scans:acme/api:a", "fail"]} with input as inp
}

# An entry's max_age_days only tightens the threshold.
test_entry_limit_only_tightens if {
	recent := {"r.json": report(fx.days_ago(3), "report", {})}
	tight := fleet({"acme/api": object.union(source(recent), {"max_age_days": 2})})
	fx.statuses(rule.findings) == {["secret-scans:acme/api", "error"]} with input as tight
	loose := fleet({"acme/api": object.union(source({"r.json": report(fx.days_ago(9), "report", {})}), {"max_age_days": 30})})
	fx.statuses(rule.findings) == {["secret-scans:acme/api", "error"]} with input as loose
}

test_threshold_setting_is_read if {
	inp := fleet({"acme/api": source({"r.json": report(fx.days_ago(9), "report", {})})})
	fx.statuses(rule.findings) == {["secret-scans:acme/api", "pass"]} with input as inp with data.config.thresholds.secret_scan_max_age_days as 10
}

test_unreadable_entry_is_error if {
	s := object.union(source({}), {"status": "incomplete", "reason": "scans/*.json: no file matches"})
	some f in rule.findings with input as fleet({"acme/api": s})
	f.status == "error"
	f.message == "the reports could not be read: scans/*.json: no file matches"
}

test_entry_without_reports_is_error if {
	fx.statuses(rule.findings) == {["secret-scans:acme/api", "error"]} with input as fleet({"acme/api": source({})})
	fx.statuses(rule.findings) == {["secret-scans:acme/api", "error"]} with input as fleet({"acme/api": object.remove(source({}), ["reports"])})
}

test_malformed_newest_report_is_error if {
	bad := object.union(report(fx.days_ago(1), "file-mtime", {}), {"status": "incomplete", "reason": "scans/gitleaks.json: $[3]: expected an object"})
	some f in rule.findings with input as fleet({"acme/api": source({"scans/gitleaks.json": bad})})
	f.status == "error"
	f.message == "the newest report scans/gitleaks.json could not be read whole: scans/gitleaks.json: $[3]: expected an object"
}

# Without a scan time the order of the reports is unknown: error, and every report's leaks fail.
test_undated_report_is_error_and_no_leak_is_superseded if {
	inp := fleet({"acme/api": source({
		"old.json": report(fx.days_ago(5), "report", {"a": leak("a", true)}),
		"new.json": object.remove(report(fx.days_ago(1), "report", {}), ["scanned_at"]),
	})})
	fx.statuses(rule.findings) == {["secret-scans:acme/api", "error"], ["secret-scans:acme/api:a", "fail"]} with input as inp
	some f in rule.findings with input as inp
	f.resource.id == "secret-scans:acme/api"
	f.message == "the newest report cannot be told: no scan time for new.json"
}

test_report_dated_after_the_scan_is_error if {
	inp := fleet({"acme/api": source({"r.json": report(fx.now + 7200, "report", {})})})
	fx.statuses(rule.findings) == {["secret-scans:acme/api", "error"]} with input as inp
}

test_report_without_findings_map_is_error if {
	inp := fleet({"acme/api": source({"r.json": object.remove(report(fx.days_ago(1), "report", {}), ["findings"])})})
	fx.statuses(rule.findings) == {["secret-scans:acme/api", "error"]} with input as inp
}

test_vault_shard_yields_nothing if {
	count(rule.findings) == 0 with input as fx.vault_input({})
}
