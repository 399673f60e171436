# METADATA
# title: Secret-scanner reports are recent and find no hardcoded secret
# description: |
#   Secrets are never hardcoded. vaultproof does not scan code itself: it judges the reports of the
#   secret scanners already run on it (gitleaks JSON, TruffleHog JSON lines, SARIF 2.1.0 from any
#   secret scanner), read by the `secret_scans:` collector with metadata only (rule, file, line,
#   commit, verification; never the secret, the match or a snippet). Each configured entry (a
#   repository) is judged on its newest report. Every finding of that report fails, one finding
#   per leak: verified ones (TruffleHog `Verified`, SARIF `properties.verified`/`validity`) say
#   so, and unverified ones fail too, at the same severity, because a credential-shaped string in
#   code breaks the requirement whether or not it still works (gitleaks verifies nothing, so every
#   gitleaks finding fails). A false positive is allow-listed where the scanner allow-lists it
#   (`.gitleaksignore`, a gitleaks allowlist, a SARIF suppression) or waived here, with approvers
#   and an expiry. Error, never pass: no report supplied, an entry whose files could not be read,
#   a newest report that is malformed or has no scan time, or one older than the age limit (the
#   scan time comes from the report when it records one, SARIF `invocations[].endTimeUtc`, else
#   from the file's modification time; the finding says which). Without any `secret_scans:`
#   evidence, a snapshot that holds vaults gets one error; a snapshot of nothing stays nothing to
#   evaluate.
# custom:
#   id: VP-SCN-001
#   severity: critical
#   control: secrets-management §Overview
#   requirements: [SM-0-a]
#   metric: HardcodedSecretFindings
#   settings:
#     - thresholds.secret_scan_max_age_days
#   remediation: |
#     Remove the secret from the code and its history, rotate it in the vault it belongs to (it
#     must be considered compromised), and make the service read it from the vault. Run the secret
#     scanner on every change and hand its newest report to vaultproof (`secret_scans:`).
#   references:
#     - "secrets-management §Overview: Secrets are never hardcoded"
#     - "gitleaks: JSON report (--report-format json): RuleID, File, StartLine, Commit, Fingerprint"
#     - "TruffleHog: --json output, one result per line: DetectorName, Verified, SourceMetadata"
#     - "SARIF 2.1.0: runs[].tool.driver.name, results[].ruleId/level/locations/suppressions"
package vaultproof.rules.scanners.secrets_not_hardcoded

import data.vaultproof.lib
import rego.v1

metric_name := "HardcodedSecretFindings"

seconds_per_day := 86400

# A scan time more than an hour after the scan's own clock is not evidence of a recent scan.
future_slack_seconds := 3600

default_limit_days := data.config.thresholds.secret_scan_max_age_days

# The configured entries, keyed by id; undefined when no secret-scan evidence was collected.
sources := s if {
	input.kind == "fleet"
	s := object.get(object.get(input, "secret_scans", {}), "sources", null)
	is_object(s)
	count(s) > 0
}

# ---- no evidence at all ----

# (Only for a snapshot that holds an estate: a snapshot of nothing stays nothing to evaluate.)
findings["secret-scans"] := out if {
	input.kind == "fleet"
	count(object.get(input, "vaults", {})) > 0
	not sources
	msg := "no secret-scanner report was supplied: configure `secret_scans:` with the gitleaks, TruffleHog or SARIF reports of the code"
	out := lib.finding("error", resource("secret-scans", "secret-scans", "repository", ""), lib.metric(metric_name, null, "==", 0), msg)
}

# ---- one finding per entry (repository): recent, complete, clean ----

findings[out.resource.id] := out if {
	some sid, s in sources
	state := source_state(s)
	state.status != "leaks"
	out := lib.finding(state.status, source_resource(sid, s), lib.metric(metric_name, state.value, "==", 0), state.message)
}

# ---- one failing finding per leak in the newest report ----

findings[out.resource.id] := out if {
	some sid, s in sources
	some fid in leak_ids(s)
	rid := sort([r | some r in candidates(s); has_leak(s.reports[r], fid)])[0]
	report := s.reports[rid]
	leak := report.findings[fid]
	msg := concat("", [scanner_of(report), " found a ", rule_text(leak), " at ", place(leak, fid), ": ", verification(leak, report), " (report ", rid, ")"])
	out := lib.finding("fail", resource(concat(":", ["secret-scans", sid, fid]), sid, "leaked-secret", place(leak, fid)), lib.metric(metric_name, 1, "==", 0), msg)
}

resource(id, name, type, path) := {"provider": "secret-scans", "vault": name, "type": type, "id": id, "path": path}

source_resource(sid, s) := resource(concat(":", ["secret-scans", sid]), sid, "repository", text(object.get(s, "path", null), ""))

# ---- reports ----

reports(s) := r if {
	r := object.get(s, "reports", null)
	is_object(r)
}

# (a helper: `not count(reports(s)) > 0` would be undefined, not true, when reports(s) is)
has_reports(s) if count(reports(s)) > 0

dated(r) if is_number(object.get(r, "scanned_at", null))

undated(s) := sort([id | some id, r in reports(s); not dated(r)])

newest_time(s) := max([r.scanned_at | some r in reports(s)]) if {
	count(reports(s)) > 0
	count(undated(s)) == 0
}

# The reports that judge the entry: the newest (all of them when several share its time); every
# report when their order is not known (one has no scan time), so no leak is taken as superseded.
candidates(s) := {id | some id, r in reports(s); r.scanned_at == t} if t := newest_time(s)

candidates(s) := {id | some id, _ in reports(s)} if count(undated(s)) > 0

leaks_of(r) := f if {
	f := object.get(r, "findings", null)
	is_object(f)
}

has_leak(r, fid) if leaks_of(r)[fid]

leak_ids(s) := {fid | some id in candidates(s); some fid, _ in leaks_of(s.reports[id])}

complete(r) if object.get(r, "status", null) == "complete"

limit_days(s) := min([s.max_age_days, default_limit_days]) if is_number(object.get(s, "max_age_days", null))

limit_days(s) := default_limit_days if not is_number(object.get(s, "max_age_days", null))

newest_id(s) := sort(candidates(s))[0] if newest_time(s)

age_days(s) := (input.now - newest_time(s)) / seconds_per_day

# ---- the entry's state: the first reason it cannot pass, else its leaks ("leaks") or pass ----

source_state(s) := state_error(source_unread(s)) if {
	object.get(s, "status", null) != "complete"
} else := state_error("no report was read for this entry") if {
	not has_reports(s)
} else := state_error(concat("", ["the newest report cannot be told: no scan time for ", concat(", ", undated(s))])) if {
	count(undated(s)) > 0
} else := state_error(concat("", ["the newest report ", id, " could not be read whole: ", text(object.get(s.reports[id], "reason", null), "no reason recorded")])) if {
	unread := sort([r | some r in candidates(s); not complete(s.reports[r])])
	count(unread) > 0
	id := unread[0]
} else := state_error(concat("", ["the newest report ", id, " records no findings list: what it found is not known"])) if {
	unlisted := sort([r | some r in candidates(s); not leaks_of(s.reports[r])])
	count(unlisted) > 0
	id := unlisted[0]
} else := state_error(concat("", ["the newest report ", newest_id(s), " is dated after this scan (", time_text(s), "): not evidence of a recent scan"])) if {
	newest_time(s) > input.now + future_slack_seconds
} else := state_error(concat("", [
	"the newest report ", newest_id(s), " is ", days_text(s), " days old (", time_text(s),
	"); the limit is ", lib.num_str(limit_days(s)), " days: run the scanner again and supply its report",
])) if {
	age_days(s) > limit_days(s)
} else := {"status": leak_status(n), "value": n, "message": msg} if {
	n := count(leak_ids(s))
	msg := concat("", ["the newest report ", newest_id(s), " (", scanner_of(s.reports[newest_id(s)]), ", ", days_text(s), " days old, ", time_text(s), ") ", found_text(n)])
}

state_error(msg) := {"status": "error", "value": null, "message": msg}

days_text(s) := lib.num_str(max([floor(age_days(s) * 10) / 10, 0]))

leak_status(0) := "pass"

leak_status(n) := "leaks" if n > 0

found_text(0) := "finds no secret"

found_text(n) := concat("", ["finds ", lib.num_str(n), " secret(s)"]) if n > 0

source_unread(s) := concat("", ["the reports could not be read: ", text(object.get(s, "reason", null), "no reason recorded")])

time_text(s) := concat("", ["scan time from ", time_source(s.reports[newest_id(s)])])

time_source(r) := "the report" if object.get(r, "time_source", null) == "report"

time_source(r) := "the file's modification time" if object.get(r, "time_source", null) != "report"

# ---- words for a leak ----

text(v, _) := v if {
	is_string(v)
	v != ""
}

text(v, fallback) := fallback if not is_string(v)

text("", fallback) := fallback

scanner_of(r) := text(object.get(r, "scanner", null), "the secret scanner")

rule_text(leak) := concat("", ["secret (rule ", text(object.get(leak, "rule", null), "not recorded"), ")"])

place(leak, fid) := concat("", [text(object.get(leak, "file", null), fid), line_text(object.get(leak, "line", null)), commit_text(object.get(leak, "commit", null))])

line_text(n) := concat("", [":", lib.num_str(n)]) if is_number(n)

line_text(n) := "" if not is_number(n)

commit_text(c) := concat("", [" in commit ", substring(c, 0, 12)]) if {
	is_string(c)
	c != ""
}

commit_text(c) := "" if not is_string(c)

commit_text("") := ""

verification(leak, _) := "verified live by the scanner" if object.get(leak, "verified", null) == true

verification(leak, _) := "not verified live, still a secret in code" if object.get(leak, "verified", null) == false

verification(leak, r) := concat("", [scanner_of(r), " does not verify findings: every finding counts"]) if not is_boolean(object.get(leak, "verified", null))
