# METADATA
# title: Privileged operations are audited with correlation ids, as many as the records expect
# description: |
#   Every privileged operation (signing, publish, rotation, break-glass) logs an audit event with
#   its correlation id, and the gating check requires AuditEventCount == expected. Per vault, from
#   the `audit` event facts: every privileged audit event carries a correlation id, and the number
#   of privileged audit events equals the number the platform's records expect (when a record
#   source covers the vault). A vault whose audit log was not read yields error.
# custom:
#   id: VP-AUD-003
#   severity: high
#   control: secrets-management §5, §7.3
#   metric: AuditEventCount
#   remediation: |
#     Find the operations missing from the audit log (or the records without an audit event) and
#     the callers that do not send `x-correlation-id`; fix the logging helper
#     (`Write-StructuredLog`) or the audited headers (`vault write sys/config/auditing/request-headers/x-correlation-id`).
#   references:
#     - "secrets-management §5: privileged operations log credential used and resulting event"
#     - "secrets-management §7.3: audit event includes correlation id; AuditEventCount == expected"
package vaultproof.rules.audit.audit_event_count

import data.vaultproof.lib
import data.vaultproof.lib.events
import rego.v1

metric_name := "AuditEventCount"

findings[out.resource.id] := out if {
	v := input.vault
	a := events.section("audit")[v.id]
	problems := {p | p := uncorrelated(a)} | {p | p := mismatch(a)}
	status := lib.status_le(count(problems), 0)
	msg := message(a, problems)
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, a.privileged_operations, "==", a.expected_privileged_operations), msg)
}

findings[out.resource.id] := out if {
	v := input.vault
	not audited(v)
	msg := concat("", ["audit events cannot be counted: ", reason(v)])
	out := lib.finding("error", lib.vault_resource(v), lib.metric(metric_name, null, "==", null), msg)
}

audited(v) if events.section("audit")[v.id]

reason(_) := events.missing_reason("audit") if not events.section("audit")

reason(_) := "no audit log of this vault was read" if events.section("audit")

uncorrelated(a) := concat("", [lib.num_str(a.privileged_operations - a.with_correlation_id), " privileged event(s) carry no correlation id"]) if {
	a.with_correlation_id < a.privileged_operations
}

mismatch(a) := concat("", [lib.num_str(a.privileged_operations), " privileged event(s) logged where the records expect ", lib.num_str(a.expected_privileged_operations)]) if {
	is_number(a.expected_privileged_operations)
	a.privileged_operations != a.expected_privileged_operations
}

message(a, problems) := concat("", [lib.num_str(a.privileged_operations), " privileged event(s), all with a correlation id", expected_text(a)]) if count(problems) == 0

message(_, problems) := concat("; ", sort(problems)) if count(problems) > 0

expected_text(a) := ", as the records expect" if is_number(a.expected_privileged_operations)

expected_text(a) := " (no record source to compare with)" if a.expected_privileged_operations == null
