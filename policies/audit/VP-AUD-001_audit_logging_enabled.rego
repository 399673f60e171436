# METADATA
# title: Every vault streams its audit events to the SIEM
# description: |
#   Every vault access generates an audit record streamed to the SIEM. Azure Key Vault: an enabled
#   diagnostic setting shipping the audit logs (category AuditEvent or the audit / allLogs group) to
#   a streaming destination (Log Analytics, Event Hub); a storage account alone archives but does
#   not stream. HashiCorp Vault: at least one enabled audit device (file, syslog or socket; VP-HCV-009
#   warns when there is only one) that ships its records: a file device writing to `discard` keeps
#   nothing and one writing to `stdout` only reaches the process's output, so neither counts, and a
#   file device whose `file_path` was not collected cannot be judged (error when nothing else
#   streams). An audit configuration that could not be read yields error.
# custom:
#   id: VP-AUD-001
#   severity: high
#   control: secrets-management §1.5, §5
#   requirements: [SM-0-d, SM-1.5-a, SM-5-a]
#   metric: AuditLoggingEnabled
#   remediation: |
#     Azure: `az monitor diagnostic-settings create --resource <vault id> --logs
#     '[{"categoryGroup":"audit","enabled":true}]' --workspace <SIEM workspace>`. Vault:
#     `vault audit enable file file_path=/var/log/vault/audit.log` (shipped by the SIEM agent) or
#     `vault audit enable syslog`.
#   references:
#     - "secrets-management §1.5: every vault access generates an audit record streamed to SIEM"
#     - "Prowler: keyvault_logging_enabled"
#     - "Azure Policy: Resource logs in Key Vault should be enabled"
#     - "CIS Microsoft Azure Foundations 5.1.5: logging for Azure Key Vault is enabled"
#     - "HashiCorp Vault production hardening: enable auditing"
package vaultproof.rules.audit.audit_logging_enabled

import data.vaultproof.lib
import data.vaultproof.lib.audit
import rego.v1

metric_name := "AuditLoggingEnabled"

streaming_types := {"log-analytics", "event-hub", "syslog", "socket", "file"}

audit_destinations(v) := {d |
	some d in v.audit.destinations
	audit.carries_audit(d)
}

findings[out.resource.id] := out if {
	v := input.vault
	is_array(v.audit.destinations)
	dests := audit_destinations(v)
	streams := {d.id | some d in dests; streaming_types[d.type]; audit.sink(d) == "ships"}
	unknown := {d.id | some d in dests; audit.sink(d) == "unknown"}
	status := judge(count(streams), count(unknown))
	msg := message(streams, dests, unknown)
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, value(status, streams), ">=", 1), msg)
}

judge(streams, _) := "pass" if streams > 0

judge(0, unknown) := "error" if unknown > 0

judge(0, 0) := "fail"

value("error", _) := null

value(status, streams) := count(streams) if status != "error"

findings[out.resource.id] := out if {
	v := input.vault
	not destinations_known(v)
	out := lib.finding("error", lib.vault_resource(v), lib.metric(metric_name, null, ">=", 1), "the audit configuration could not be read")
}

destinations_known(v) if is_array(v.audit.destinations)

message(streams, _, _) := concat("", ["audit events stream to ", concat(", ", sort(streams))]) if count(streams) > 0

message(streams, _, unknown) := concat("", ["audit device(s) ", concat(", ", sort(unknown)), " write to a file whose path was not collected: whether they ship anything is unknown"]) if {
	count(streams) == 0
	count(unknown) > 0
}

message(streams, dests, unknown) := "no enabled audit destination ships audit events" if {
	count(streams) == 0
	count(unknown) == 0
	count(dests) == 0
}

message(streams, dests, unknown) := concat("", ["audit device(s) ", concat(", ", sort(unshipped(dests))), " write to discard or stdout only: no audit record reaches the SIEM"]) if {
	count(streams) == 0
	count(unknown) == 0
	count(unshipped(dests)) > 0
}

message(streams, dests, unknown) := concat("", ["audit events are only archived (", concat(", ", sort({d.id | some d in dests})), "), nothing streams them to the SIEM"]) if {
	count(streams) == 0
	count(unknown) == 0
	count(dests) > 0
	count(unshipped(dests)) == 0
}

unshipped(dests) := {d.id | some d in dests; audit.sink(d) == "nowhere"}
