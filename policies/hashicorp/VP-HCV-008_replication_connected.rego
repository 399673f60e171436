# METADATA
# title: Vault Enterprise replication secondaries are connected
# description: |
#   A disconnected performance or DR secondary stops receiving updates while everything looks
#   healthy on the primary. In the fleet pass every vault-enterprise replication pair must report
#   its secondary as `connected`; replication disabled or unavailable fails, and a status that could
#   not be read yields error. (VP-REP-001 measures the lag itself.)
# custom:
#   id: VP-HCV-008
#   severity: high
#   control: secrets-management §1.2; HashiCorp Vault Enterprise replication (peer)
#   requirements: [SM-1.2-a]
#   metric: ReplicationConnectionState
#   remediation: |
#     Check `vault read sys/replication/status` on both clusters, network reachability of the
#     cluster port (8201), and the secondary's activation token; re-enable replication if disabled.
#   references:
#     - "HashiCorp Vault Enterprise: sys/replication/status (connection_status)"
package vaultproof.rules.hashicorp.replication_connected

import data.vaultproof.lib
import data.vaultproof.lib.replication
import rego.v1

metric_name := "ReplicationConnectionState"

enterprise_pairs contains p if {
	input.kind == "fleet"
	some p in input.replication
	p.method == "vault-enterprise"
}

findings[out.resource.id] := out if {
	some p in enterprise_pairs
	status_known(p)
	state := p.status.connection_state
	status := lib.status_bool(state == "connected")
	msg := concat("", ["secondary ", replication.secondary_name(p), " is ", state, " (replication state ", replication.format_state(object.get(p.status, "state", null)), ")"])
	out := lib.finding(status, replication.resource(p), lib.metric(metric_name, state, "==", "connected"), msg)
}

findings[out.resource.id] := out if {
	some p in enterprise_pairs
	not status_known(p)
	out := lib.finding("error", replication.resource(p), lib.metric(metric_name, null, "==", "connected"), "the replication status could not be read")
}

# The status was read and states the secondary's connection (a status without it is not evidence).
status_known(p) if is_string(p.status.connection_state)
