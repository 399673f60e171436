# METADATA
# title: Writes go to a fallback vault only once it holds every current version
# description: |
#   During failover the fallback vault stays read-only until replication has caught up:
#   FallbackVaultSynced must be true before writes are permitted on it. A fallback that is behind
#   while writes are permitted fails; one that is behind and still read-only passes, with the
#   number of pending objects stated.
# custom:
#   id: VP-REP-002
#   severity: critical
#   control: secrets-management §1.6
#   metric: FallbackVaultSynced
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

findings[out.resource.id] := out if {
	some p in replication.pairs
	replication.measurable(p)
	behind := count(replication.unsynced(p))
	synced := behind == 0
	writes := object.get(p, "writes_permitted_on_secondary", false)
	status := judge(synced, writes)
	msg := message(synced, writes, behind, replication.secondary_name(p))
	out := lib.finding(status, replication.resource(p), lib.metric(metric_name, synced, "==", true), msg)
}

findings[out.resource.id] := out if {
	some p in replication.pairs
	not replication.measurable(p)
	msg := concat("", ["fallback sync cannot be determined: ", replication.unmeasurable_reason(p)])
	out := lib.finding("error", replication.resource(p), lib.metric(metric_name, null, "==", true), msg)
}

judge(true, _) := "pass"

judge(false, false) := "pass"

judge(false, true) := "fail"

message(true, _, _, name) := concat("", [name, " holds every current version"])

message(false, false, n, name) := concat("", [name, " is ", lib.num_str(n), " item(s) behind and stays read-only until synced"])

message(false, true, n, name) := concat("", [name, " is ", lib.num_str(n), " item(s) behind but writes are permitted on it"])
