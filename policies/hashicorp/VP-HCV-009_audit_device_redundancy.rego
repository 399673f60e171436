# METADATA
# title: Vault has more than one audit device
# description: |
#   Vault refuses every request when it cannot write to any enabled audit device, so a single
#   device is a single point of failure for the whole cluster (and for the evidence trail). Each
#   HashiCorp Vault should have at least `audit_min_devices` enabled audit devices that ship their
#   records: a file device writing to `discard` or `stdout` keeps no evidence and does not count,
#   and one whose `file_path` was not collected makes the count error when the others fall short.
#   This is the warning level of VP-AUD-001. An audit configuration that could not be read yields error.
# custom:
#   id: VP-HCV-009
#   severity: low
#   control: HashiCorp Vault production hardening (peer); secrets-management §1.5
#   requirements: [SM-0-d, SM-1.5-a]
#   metric: AuditDeviceCount
#   settings:
#     - thresholds.audit_min_devices
#   remediation: |
#     Enable a second audit device on a different target (`vault audit enable -path=syslog syslog`
#     next to the file device), and monitor both.
#   references:
#     - "HashiCorp Vault: audit devices (blocked requests when no device can log)"
package vaultproof.rules.hashicorp.audit_device_redundancy

import data.vaultproof.lib
import data.vaultproof.lib.audit
import rego.v1

metric_name := "AuditDeviceCount"

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "hashicorp-vault"
	is_array(v.audit.destinations)
	n := count([d | some d in v.audit.destinations; d.enabled == true; audit.sink(d) == "ships"])
	unknown := count([d | some d in v.audit.destinations; d.enabled == true; audit.sink(d) == "unknown"])
	limit := data.config.thresholds.audit_min_devices
	status := judge(n, unknown, limit)
	msg := message(status, n, unknown)
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, value(status, n), ">=", limit), msg)
}

judge(n, _, limit) := "pass" if n >= limit

judge(n, 0, limit) := "fail" if n < limit

judge(n, unknown, limit) := "error" if {
	n < limit
	unknown > 0
}

value("error", _) := null

value(status, n) := n if status != "error"

message("error", n, unknown) := concat("", [lib.num_str(n), " enabled audit device(s) ship their records; ", lib.num_str(unknown), " more write to a file whose path was not collected"])

message(status, n, _) := concat("", [lib.num_str(n), " enabled audit device(s) ship their records"]) if status != "error"

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "hashicorp-vault"
	not devices_known(v)
	out := lib.finding("error", lib.vault_resource(v), lib.metric(metric_name, null, ">=", data.config.thresholds.audit_min_devices), "the audit devices (sys/audit) could not be read")
}

devices_known(v) if is_array(v.audit.destinations)
