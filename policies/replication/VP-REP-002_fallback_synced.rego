# METADATA
# title: Writes go to a fallback vault only once it holds every current version
# description: |
#   During failover the fallback vault stays read-only until replication has caught up:
#   FallbackVaultSynced must be true before writes are permitted on it. A fallback that is behind
#   while writes are permitted fails; one that is behind and still read-only passes, with the
#   number of pending objects stated; one that is behind and whose writability was not collected
#   or could not be read is error (absence is never read-only). Writability is collected: Azure,
#   write-capable role assignments and access policies on the fallback held by non-admins (with its
#   ReadOnly/CanNotDelete locks); Vault, the secondary's own replication mode (a replication
#   secondary takes no writes itself; a promoted or standalone cluster does).
# custom:
#   id: VP-REP-002
#   severity: critical
#   control: secrets-management §1.6
#   requirements: [SM-1.6-a, SM-1.6-b]
#   metric: FallbackVaultSynced
#   settings:
#     - thresholds.replication_lag_minutes
#   remediation: |
#     Return the fallback to read-only until every current version is replicated, then re-enable
#     writes; investigate why writes were permitted before FallbackVaultSynced was true.
#   references:
#     - "secrets-management §1.6: FallbackVaultSynced = True before permitting writes"
package vaultproof.rules.replication.fallback_synced

import data.vaultproof.lib
import data.vaultproof.lib.replication
import rego.v1

metric_name := "FallbackVaultSynced"

# Whether the fallback holds every current version: known for a measured version-compare pair and
# for a Vault pair whose WAL gap was read.
sync_known(p) if replication.objects_aligned(p)

sync_known(p) if replication.gap_known(p)

behind_count(p) := count(replication.unsynced(p)) if replication.objects_aligned(p)

behind_count(p) := max([replication.wal_gap(p), 0]) if replication.gap_known(p)

unit(p) := "item(s)" if replication.objects_aligned(p)

unit(p) := "WAL entries" if replication.gap_known(p)

findings[out.resource.id] := out if {
	some p in replication.pairs
	sync_known(p)
	behind := behind_count(p)
	synced := behind == 0
	writes := writes_state(p)
	status := judge(synced, writes)
	msg := concat("", [message(synced, writes, behind, unit(p), replication.secondary_name(p), p), replication.lock_text(p)])
	out := lib.finding(status, replication.resource(p), lib.metric(metric_name, synced, "==", true), msg)
}

findings[out.resource.id] := out if {
	some p in replication.pairs
	not sync_known(p)
	msg := concat("", ["fallback sync cannot be determined: ", sync_unknown_reason(p)])
	out := lib.finding("error", replication.resource(p), lib.metric(metric_name, null, "==", true), msg)
}

sync_unknown_reason(p) := replication.unmeasurable_reason(p) if not replication.gap_known(p)

# No reason the lag rule would give (a secondary without its WAL position that has been
# disconnected past the lag limit fails ReplicationLag outright): the sync is still unknown here
# (issue 15, property 1: nulling secondary_last_wal took the pair's finding away).
sync_unknown_reason(p) := "the secondary's WAL position (last_remote_wal) could not be read" if {
	not replication.gap_known(p)
	not has_unmeasurable_reason(p)
}

has_unmeasurable_reason(p) if replication.unmeasurable_reason(p)

# "permitted", "read-only" or "unknown" (not collected or unreadable: never taken as read-only).
writes_state(p) := "permitted" if replication.writes_permitted(p) == true

writes_state(p) := "read-only" if replication.writes_permitted(p) == false

writes_state(p) := "unknown" if not has_writes(p)

has_writes(p) if is_boolean(replication.writes_permitted(p))

judge(true, _) := "pass"

judge(false, "read-only") := "pass"

judge(false, "permitted") := "fail"

judge(false, "unknown") := "error"

message(true, _, _, _, name, _) := concat("", [name, " holds every current version"])

message(false, "read-only", n, u, name, _) := concat("", [name, " is ", lib.num_str(n), " ", u, " behind and stays read-only until synced"])

message(false, "permitted", n, u, name, p) := concat("", [name, " is ", lib.num_str(n), " ", u, " behind but writes are permitted on it", writers_text(p)])

message(false, "unknown", n, u, name, p) := concat("", [
	name, " is ", lib.num_str(n), " ", u, " behind and whether writes are permitted on it is not known: ",
	replication.writes_unknown_reason(p),
])

writers_text(p) := "" if not replication.access_read(p)

writers_text(p) := concat("", [" (non-admin write access: ", concat(", ", sort(replication.secondary_writers(p))), ")"]) if replication.access_read(p)
