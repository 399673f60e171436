# METADATA
# title: A storage account receiving Key Vault audit logs keeps them immutable
# description: |
#   The standard asks for an immutable audit trail: records an administrator can delete or overwrite
#   do not prove who read a secret. A storage account that a vault's diagnostic setting ships audit
#   records to (the AuditEvent category or the audit / allLogs group) must hold them under a
#   **locked** immutability policy: a time-based retention policy on the `insights-logs-auditevent`
#   container, or version-level immutability on the account. An unlocked policy (it can still be
#   shortened or deleted) or none fails; a sink whose account or container could not be read yields
#   error. Judged on every Azure Key Vault or Managed HSM with an enabled storage sink carrying audit
#   records; the worst sink decides. Vaults without a storage sink are not judged; a vault whose
#   diagnostic settings could not be read yields error (a storage sink may be among them).
# custom:
#   id: VP-AZ-027
#   severity: medium
#   control: secrets-management §5 (immutable audit trail)
#   requirements: [SM-0-e]
#   metric: AuditStorageImmutable
#   settings: []
#   remediation: |
#     Add a time-based retention policy to the `insights-logs-auditevent` container of the audit
#     storage account (`az storage container immutability-policy create --period 730 ...`) and lock
#     it once verified (`az storage container immutability-policy lock`), or enable version-level
#     immutability on the account with a locked policy.
#   references:
#     - "CloudSploit (Aqua): Blob Service Immutable (a data immutability policy on the storage containers)"
#     - "Microsoft Learn: Immutable storage for Azure Blob Storage (time-based retention policies, locked vs unlocked)"
#     - "secrets-management §5: immutable audit trail"
package vaultproof.rules.azure.audit_storage_immutable

import data.vaultproof.lib
import data.vaultproof.lib.audit
import rego.v1

metric_name := "AuditStorageImmutable"

# [destination id, immutability]: locked, unlocked, none or unknown.
states := {[d.id, state_of(d)] |
	some d in input.vault.audit.destinations
	d.type == "storage"
	audit.carries_audit(d)
}

state_of(d) := d.storage.immutability if d.storage.immutability in {"locked", "unlocked", "none"}

state_of(d) := "unknown" if not known(d)

known(d) if d.storage.immutability in {"locked", "unlocked", "none"}

mutable := sort({id | some [id, s] in states; s in {"unlocked", "none"}})

unknown := sort({id | some [id, s] in states; s == "unknown"})

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "azure-keyvault"
	count(states) > 0
	status := judge(mutable, unknown)
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, value(status), "==", true), message(status))
}

# The diagnostic settings unread (null or absent): whether a storage account receives the audit logs is
# unknown, so the vault is not left without a finding (first law).
findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "azure-keyvault"
	not destinations_known(v)
	msg := "the audit configuration (diagnostic settings) could not be read: whether a storage account receives the audit logs is unknown"
	out := lib.finding("error", lib.vault_resource(v), lib.metric(metric_name, null, "==", true), msg)
}

destinations_known(v) if is_array(v.audit.destinations)

judge(mutable, _) := "fail" if count(mutable) > 0

judge(mutable, unknown) := "error" if {
	count(mutable) == 0
	count(unknown) > 0
}

judge(mutable, unknown) := "pass" if {
	count(mutable) == 0
	count(unknown) == 0
}

value("error") := null

value("fail") := false

value("pass") := true

state_text := {"unlocked": "an unlocked immutability policy (it can still be deleted)", "none": "no immutability policy"}

message("fail") := concat("; ", [concat("", ["the audit storage of ", id, " has ", state_text[s]]) | some id in mutable; some [i, s] in states; i == id])

message("error") := concat("", ["audit storage sink(s) ", concat(", ", unknown), ": the immutability of the audit records could not be read"])

message("pass") := "every storage account receiving the audit logs keeps them under a locked immutability policy"
