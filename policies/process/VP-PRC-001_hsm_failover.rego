# METADATA
# title: HSM failovers use the secondary key only with SigningOwnerApproval, packaging paused and a new evidence pack
# description: |
#   On an HSM outage the standard pauses the packaging pipeline, fails over to the secondary HSM key
#   with SigningOwnerApproval, and produces a new evidence pack. Judged per vault that holds signing
#   keys (or the secondary key of a failover) from the `process` event facts: every `hsm-failover`
#   record of the window whose secondary key is in the vault must have a `signing-owner-approval`
#   by someone other than the requester recorded no later than the key's first use, a
#   `packaging-pause` that started no later than the failover and lasted until it ended, and, once
#   ended, the digest of the new evidence pack. Without a failover in the window, a
#   `hsm-failover-attestation` of the vault (or of every vault, "*") tells "no failover happened"
#   from "nothing was recorded": it must have ended at most `hsm_failover_attestation_max_age_days`
#   ago, and may not attest more failovers than its period has records. No failover and no
#   attestation is error (no evidence on record), as is a record store that was not read.
# custom:
#   id: VP-PRC-001
#   severity: high
#   control: secrets-management §6 (HSM outage)
#   metric: HsmFailoverControlled
#   requirements: [SM-6-g, SM-6-h, SM-6-i]
#   settings:
#     - thresholds.hsm_failover_attestation_max_age_days
#   remediation: |
#     Record every HSM failover (hsm-failover) with its SigningOwnerApproval before the secondary
#     key signs, pause the packaging pipeline for the whole failover, and reference the new evidence
#     pack's manifest digest; in periods without a failover, write the periodic
#     hsm-failover-attestation (failovers: 0).
#   references:
#     - "secrets-management §6: HSM outage: pause packaging pipeline, failover to secondary HSM key with SigningOwnerApproval, new evidence pack"
package vaultproof.rules.process.hsm_failover

import data.vaultproof.lib
import data.vaultproof.lib.classification
import data.vaultproof.lib.events
import rego.v1

metric_name := "HsmFailoverControlled"

max_age_days := data.config.thresholds.hsm_failover_attestation_max_age_days

holds_signing_keys if {
	some o in input.vault.objects
	o.enabled == true
	classification.type_of(o) == "signing-key"
}

# Failovers of the window whose secondary key is in this vault.
failovers := {id: f |
	some id, f in events.section("process").hsm_failovers
	f.vault == input.vault.id
	events.in_window(f.started_at)
}

judged if holds_signing_keys

judged if count(failovers) > 0

failover_fields := ["started_at", "ended_at", "secondary_key", "vault", "requester", "first_use_at", "evidence_pack_sha256", "approvals"]

attestation_fields := ["attestation_id", "from", "to", "failovers", "attested_by"]

# Failover or attestation records lacking a field they are judged on (any vault's: a failover
# without its vault could be this vault's).
damaged := sort([id |
	some id, f in events.section("process").hsm_failovers
	not events.has_fields(f, failover_fields)
]) if {
	ids := [id | some id, f in events.section("process").hsm_failovers; not events.has_fields(f, failover_fields)]
	bad_attestations := [k | some k in [input.vault.id, "*"]; a := events.section("process").hsm_attestations[k]; not events.has_fields(a, attestation_fields)]
	count(ids) + count(bad_attestations) > 0
}

intact if {
	events.section("process")
	not damaged
}

findings[out.resource.id] := out if {
	judged
	damaged
	msg := events.no_evidence("an HSM failover or attestation record lacks fields it is judged on (started_at, ended_at, secondary_key, vault, requester, first_use_at, evidence_pack_sha256, approvals; attestation_id, from, to, failovers, attested_by)")
	out := lib.finding("error", lib.vault_resource(input.vault), lib.metric(metric_name, null, "==", true), msg)
}

# Failovers recorded: judge each.
findings[out.resource.id] := out if {
	intact
	count(failovers) > 0
	problems := [concat("", ["failover ", id, " (", key_path(f), "): ", concat("; ", sort(issues(f)))]) | some id, f in failovers; count(issues(f)) > 0]
	ok := count(problems) == 0
	msg := failover_message(ok, problems)
	out := lib.finding(lib.status_bool(ok), lib.vault_resource(input.vault), lib.metric(metric_name, ok, "==", true), msg)
}

# No failover in the window: the attestation says whether none happened.
findings[out.resource.id] := out if {
	intact
	judged
	count(failovers) == 0
	a := attestation
	problems := attestation_issues(a)
	ok := count(problems) == 0
	msg := attestation_message(a, ok, problems)
	out := lib.finding(lib.status_bool(ok), lib.vault_resource(input.vault), lib.metric(metric_name, ok, "==", true), msg)
}

findings[out.resource.id] := out if {
	intact
	judged
	count(failovers) == 0
	not attestation
	msg := events.no_evidence("the vault holds signing keys, and neither an HSM failover record of the window nor an hsm-failover-attestation covers it")
	out := lib.finding("error", lib.vault_resource(input.vault), lib.metric(metric_name, null, "==", true), msg)
}

findings[out.resource.id] := out if {
	holds_signing_keys
	not events.section("process")
	msg := concat("", ["HSM failover evidence cannot be checked: ", events.missing_reason("process")])
	out := lib.finding("error", lib.vault_resource(input.vault), lib.metric(metric_name, null, "==", true), msg)
}

key_path(f) := input.vault.objects[f.secondary_key].path

key_path(f) := f.secondary_key if not input.vault.objects[f.secondary_key]

# What a failover record shows was not done.
issues(f) := {msg | some msg in [approval_issue(f), pause_issue(f), pack_issue(f)]; msg != ""}

approval_issue(f) := "" if f.first_use_at == null

approval_issue(f) := "" if {
	f.first_use_at != null
	approved_before_use(f)
}

approval_issue(f) := "the failover names no requester, so the approval's independence cannot be shown" if {
	f.first_use_at != null
	not approved_before_use(f)
	f.requester == null
}

approval_issue(f) := "the secondary key was used before any SigningOwnerApproval by someone other than the requester" if {
	f.first_use_at != null
	not approved_before_use(f)
	f.requester != null
}

approved_before_use(f) if {
	f.requester != null
	some a in f.approvals
	a.approver != f.requester
	a.approved_at <= f.first_use_at
}

pause_issue(f) := "" if paused_throughout(f)

pause_issue(f) := "no packaging pause covers the failover" if not paused_throughout(f)

paused_throughout(f) if {
	end := failover_end(f)
	some p in events.section("process").packaging_pauses
	p.paused_at <= f.started_at
	pause_lasts(p, end)
}

failover_end(f) := f.ended_at if f.ended_at != null

failover_end(f) := input.now if f.ended_at == null

pause_lasts(p, _) if p.resumed_at == null

pause_lasts(p, end) if {
	p.resumed_at != null
	p.resumed_at >= end
}

pack_issue(f) := "" if f.ended_at == null

pack_issue(f) := "" if {
	f.ended_at != null
	f.evidence_pack_sha256 != null
}

pack_issue(f) := "it ended without a new evidence pack referenced" if {
	f.ended_at != null
	f.evidence_pack_sha256 == null
}

failover_message(true, _) := concat("", [
	lib.num_str(count(failovers)), " HSM failover(s) in the window (", concat(", ", sort([id | some id, _ in failovers])),
	"): the secondary key used only after SigningOwnerApproval, packaging paused throughout, new evidence pack referenced once ended",
])

failover_message(false, problems) := concat("; ", sort(problems))

# The attestation covering this vault: its own, else the fleet's ("*"); the later period end wins.
attestation := a if {
	candidates := [x | some k in [input.vault.id, "*"]; x := events.section("process").hsm_attestations[k]]
	count(candidates) > 0
	latest := max({x.to | some x in candidates})
	some a in candidates
	a.to == latest
}

age_days(a) := lib.days_between(a.to, input.now)

attestation_issues(a) := {msg | some msg in [stale_issue(a), count_issue(a)]; msg != ""}

stale_issue(a) := "" if age_days(a) <= max_age_days

stale_issue(a) := concat("", ["the latest attestation (", a.attestation_id, ") ended ", lib.num_str(age_days(a)), " days ago, more than ", lib.num_str(max_age_days)]) if age_days(a) > max_age_days

# Failover records of the attested period (of every vault for a fleet-wide attestation).
recorded_in(a) := count([1 |
	some f in events.section("process").hsm_failovers
	f.started_at >= a.from
	f.started_at <= a.to
	counted(f)
])

counted(_) if not own_attestation

counted(f) if {
	own_attestation
	f.vault == input.vault.id
}

own_attestation if events.section("process").hsm_attestations[input.vault.id] == attestation

count_issue(a) := "" if a.failovers <= recorded_in(a)

count_issue(a) := concat("", ["attestation ", a.attestation_id, " declares ", lib.num_str(a.failovers), " failover(s) in its period but ", lib.num_str(recorded_in(a)), " are on record"]) if a.failovers > recorded_in(a)

attestation_message(a, true, _) := concat("", [
	"no HSM failover in the window; attestation ", a.attestation_id, " by ", a.attested_by, " (", lib.num_str(a.failovers),
	" failover(s) in its period, ended ", lib.num_str(age_days(a)), " days ago) covers the vault",
])

attestation_message(_, false, problems) := concat("; ", sort(problems))
