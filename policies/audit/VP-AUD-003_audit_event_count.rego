# METADATA
# title: Privileged operations are audited with correlation ids, as many as the records expect
# description: |
#   Every privileged operation (signing, publish, rotation, break-glass) logs an audit event with
#   its correlation id, and the gating check requires AuditEventCount == expected. Per vault, from
#   the `audit` event facts: every privileged audit event carries a correlation id, and the number
#   of privileged audit events equals the number the platform's records expect. A vault whose
#   audit log was not read, or with no expected count to compare with (no record source covers
#   it), yields error: the count cannot be judged equal to nothing.
# custom:
#   id: VP-AUD-003
#   severity: high
#   control: secrets-management §5, §7.3
#   requirements: [SM-0-e, SM-1.5-b, SM-5-b, SM-7.3-a, SM-7.3-b]
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
	counted(a)
	problems := {p | p := uncorrelated(a)} | {p | p := mismatch(a)}
	status := judge(count(problems), expected_known(a))
	msg := message(a, problems)
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, a.privileged_operations, "==", object.get(a, "expected_privileged_operations", null)), msg)
}

findings[out.resource.id] := out if {
	v := input.vault
	not audited(v)
	msg := concat("", ["audit events cannot be counted: ", reason(v)])
	out := lib.finding("error", lib.vault_resource(v), lib.metric(metric_name, null, "==", null), msg)
}

findings[out.resource.id] := out if {
	v := input.vault
	a := events.section("audit")[v.id]
	not counted(a)
	msg := "audit events cannot be counted: the audit facts of this vault carry no numeric counts"
	out := lib.finding("error", lib.vault_resource(v), lib.metric(metric_name, null, "==", null), msg)
}

counted(a) if {
	is_number(a.privileged_operations)
	is_number(a.with_correlation_id)
}

expected_known(a) := is_number(object.get(a, "expected_privileged_operations", null))

judge(0, true) := "pass"

# Without an expected count, AuditEventCount == expected cannot be judged: error, never pass.
judge(0, false) := "error"

judge(n, _) := "fail" if n > 0

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

message(a, problems) := concat("", [lib.num_str(a.privileged_operations), " privileged event(s), all with a correlation id", expected_text(expected_known(a))]) if count(problems) == 0

expected_text(true) := ", as the records expect"

expected_text(false) := ", but no expected count to compare with (no record source covers this vault)"

message(_, problems) := concat("; ", sort(problems)) if count(problems) > 0
