# METADATA
# title: Vault-outage drills show publishes blocked while the vault was down
# description: |
#   When the vault service is unavailable, publishes requiring new secrets are blocked. Per primary
#   vault, from the `process` event facts: the latest `vault-outage-drill` record of the vault (or
#   of every vault, "*") must be at most `vault_outage_drill_max_age_days` old and show the
#   publishes blocked (`blocked: true`). A drill where publishes proceeded fails, as does a stale
#   one; no drill on record is error (no evidence on record), as is a record store that was not
#   read. Secondary (fallback) vaults are not judged: the drill takes the primary down.
# custom:
#   id: VP-PRC-005
#   severity: medium
#   control: secrets-management §6 (vault service unavailable)
#   metric: PublishBlockedOnVaultOutage
#   requirements: [SM-6-c]
#   settings:
#     - thresholds.vault_outage_drill_max_age_days
#   remediation: |
#     Run a vault-outage drill (take the vault away from the pipeline, attempt a publish that needs
#     a new secret) and record it as vault-outage-drill; if publishes proceeded, make the pipeline's
#     secret fetch fail closed before the next drill.
#   references:
#     - "secrets-management §6: vault service unavailable: block publishes requiring new secrets"
package vaultproof.rules.process.vault_outage_drill

import data.vaultproof.lib
import data.vaultproof.lib.events
import rego.v1

metric_name := "PublishBlockedOnVaultOutage"

max_age_days := data.config.thresholds.vault_outage_drill_max_age_days

primary if object.get(input.vault, "role", "") != "secondary"

drill_fields := ["drill_id", "started_at", "blocked"]

findings[out.resource.id] := out if {
	primary
	d := drill
	events.has_fields(d, drill_fields)
	age := lib.days_between(d.started_at, input.now)
	ok := [d.blocked, age <= max_age_days] == [true, true]
	msg := message(d, age)
	out := lib.finding(lib.status_bool(ok), lib.vault_resource(input.vault), lib.metric(metric_name, ok, "==", true), msg)
}

findings[out.resource.id] := out if {
	primary
	d := drill
	not events.has_fields(d, drill_fields)
	msg := events.no_evidence("the latest vault-outage drill record lacks drill_id, started_at or blocked")
	out := lib.finding("error", lib.vault_resource(input.vault), lib.metric(metric_name, null, "==", true), msg)
}

findings[out.resource.id] := out if {
	primary
	events.section("process")
	not drill
	msg := events.no_evidence("no vault-outage drill of this vault (or of every vault) is on record")
	out := lib.finding("error", lib.vault_resource(input.vault), lib.metric(metric_name, null, "==", true), msg)
}

findings[out.resource.id] := out if {
	primary
	not events.section("process")
	msg := concat("", ["vault-outage drills cannot be checked: ", events.missing_reason("process")])
	out := lib.finding("error", lib.vault_resource(input.vault), lib.metric(metric_name, null, "==", true), msg)
}

# The latest drill covering the vault: its own or a fleet-wide one ("*").
drill := d if {
	candidates := [x | some k in [input.vault.id, "*"]; x := events.section("process").outage_drills[k]]
	count(candidates) > 0
	latest := max({x.started_at | some x in candidates})
	some d in candidates
	d.started_at == latest
}

outcome(true) := "publishes were blocked while the vault was down"

outcome(false) := "publishes proceeded while the vault was down"

freshness(age) := "" if age <= max_age_days

freshness(age) := concat("", ["; the drill is stale (more than ", lib.num_str(max_age_days), " days old)"]) if age > max_age_days

message(d, age) := concat("", ["drill ", d.drill_id, " ", lib.num_str(age), " days ago: ", outcome(d.blocked), freshness(age)])
