# METADATA
# title: Replication lag to the secondary region is at most 5 minutes
# description: |
#   Vaults replicate to a secondary region with a lag of at most 5 minutes. For Azure primary and
#   fallback vaults the lag is the age of the oldest current primary version not yet on the
#   fallback; for Vault Enterprise, while the secondary's last remote WAL trails the primary's WAL
#   index, it is how long the secondary has been behind: the age of the last primary canary it
#   applied, or the time since its last heartbeat while disconnected. Compared in seconds (302 s
#   fails a 5-minute limit). A gap whose age cannot be measured is error, never pass.
# custom:
#   id: VP-REP-001
#   severity: high
#   control: secrets-management §1.2
#   requirements: [SM-1.2-b]
#   metric: VaultReplicationLagMinutes
#   settings:
#     - thresholds.replication_lag_minutes
#   remediation: |
#     Check the replication job or the Vault performance/DR secondary's connection; re-run the sync
#     for the objects that are behind and alert on lag above 5 minutes.
#   references:
#     - "secrets-management §1.2: VaultReplicationLagMinutes <= 5"
package vaultproof.rules.replication.replication_lag

import data.vaultproof.lib
import data.vaultproof.lib.replication
import rego.v1

metric_name := "VaultReplicationLagMinutes"

findings[out.resource.id] := out if {
	some p in replication.pairs
	replication.measurable(p)
	limit := data.config.thresholds.replication_lag_minutes
	lag := replication.lag_minutes(p)
	status := lib.status_bool(replication.lag_within_limit(p))
	msg := concat("", [
		"replication lag to ", replication.secondary_name(p), " is ", lib.num_str(lag), " minutes (",
		lib.num_str(replication.lag_seconds(p)), " s; ", replication.behind_text(p), "); the limit is ",
		lib.num_str(limit), " minutes",
	])
	out := lib.finding(status, replication.resource(p), lib.metric(metric_name, lag, "<=", limit), msg)
}

findings[out.resource.id] := out if {
	some p in replication.pairs
	not replication.measurable(p)
	limit := data.config.thresholds.replication_lag_minutes
	msg := concat("", ["replication lag cannot be measured: ", replication.unmeasurable_reason(p)])
	out := lib.finding("error", replication.resource(p), lib.metric(metric_name, null, "<=", limit), msg)
}
