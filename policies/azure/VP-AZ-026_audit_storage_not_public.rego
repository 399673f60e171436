# METADATA
# title: A storage account receiving Key Vault audit logs is not publicly accessible
# description: |
#   The audit trail must not be readable or reachable from the internet: a storage account that a
#   vault's diagnostic setting ships audit records to (the AuditEvent category or the audit /
#   allLogs group) must disallow anonymous blob access (`allowBlobPublicAccess` false) and close its
#   network (public network access Disabled, or the firewall's default action Deny). Judged on every
#   Azure Key Vault or Managed HSM with an enabled storage sink carrying audit records; the worst
#   sink decides. A sink whose account could not be read, or that does not declare
#   `allowBlobPublicAccess` or its network access, yields error. Vaults without a storage sink are
#   not judged (VP-AUD-001/002 judge the destinations themselves); a vault whose diagnostic settings
#   could not be read yields error (a storage sink may be among them).
# custom:
#   id: VP-AZ-026
#   severity: high
#   control: secrets-management §5 (peer)
#   requirements: [SM-0-e]
#   metric: AuditStoragePublic
#   settings: []
#   remediation: |
#     On the audit storage account: `az storage account update --allow-blob-public-access false`,
#     and either `--public-network-access Disabled` (reach it through a private endpoint) or
#     `--default-action Deny` with only the networks that need it.
#   references:
#     - "Prowler: storage_blob_public_access_level_is_disabled"
#     - "Prowler: storage_default_network_access_rule_is_denied"
#     - "Prowler: monitor_storage_account_with_activity_logs_is_private"
#     - "Azure Policy: Storage account public access should be disallowed"
#     - "Azure Policy: Storage accounts should restrict network access"
package vaultproof.rules.azure.audit_storage_not_public

import data.vaultproof.lib
import data.vaultproof.lib.audit
import rego.v1

metric_name := "AuditStoragePublic"

# [destination id, verdict]: "private", "public-blobs", "open-network" or "unknown".
verdicts := {[d.id, verdict] |
	some d in input.vault.audit.destinations
	d.type == "storage"
	audit.carries_audit(d)
	some verdict in sink_verdicts(d)
}

sink_verdicts(d) := {"unknown"} if not storage_read(d)

sink_verdicts(d) := vs if {
	storage_read(d)
	problems := {p | some p in {"public-blobs", "open-network", "unknown"}; has_problem(d.storage, p)}
	vs := problems_or_private(problems)
}

problems_or_private(problems) := problems if count(problems) > 0

problems_or_private(problems) := {"private"} if count(problems) == 0

has_problem(s, "public-blobs") if s.allow_blob_public_access == true

has_problem(s, "unknown") if not is_boolean(s.allow_blob_public_access)

has_problem(s, "open-network") if {
	s.public_network_access != "disabled"
	s.network_default_action == "allow"
}

has_problem(s, "unknown") if {
	not network_closed(s)
	not network_default_known(s)
}

network_closed(s) if s.public_network_access == "disabled"

network_default_known(s) if s.network_default_action in {"allow", "deny"}

storage_read(d) if is_object(d.storage)

public := sort({id | some [id, v] in verdicts; v in {"public-blobs", "open-network"}})

unknown := sort({id | some [id, v] in verdicts; v == "unknown"})

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "azure-keyvault"
	count(verdicts) > 0
	status := judge(public, unknown)
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, value(status), "==", 0), message(status))
}

# The diagnostic settings unread (null or absent): whether a storage account receives the audit logs is
# unknown, so the vault is not left without a finding (first law).
findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "azure-keyvault"
	not destinations_known(v)
	msg := "the audit configuration (diagnostic settings) could not be read: whether a storage account receives the audit logs is unknown"
	out := lib.finding("error", lib.vault_resource(v), lib.metric(metric_name, null, "==", 0), msg)
}

destinations_known(v) if is_array(v.audit.destinations)

judge(public, _) := "fail" if count(public) > 0

judge(public, unknown) := "error" if {
	count(public) == 0
	count(unknown) > 0
}

judge(public, unknown) := "pass" if {
	count(public) == 0
	count(unknown) == 0
}

value("error") := null

value(status) := count(public) if status != "error"

reasons(id) := concat(" and ", sort([text | some [i, v] in verdicts; i == id; v in {"public-blobs", "open-network"}; text := reason_text[v]]))

reason_text := {"public-blobs": "allows anonymous blob access", "open-network": "accepts traffic from all networks"}

message("fail") := concat("; ", [concat("", ["the audit storage of ", id, " ", reasons(id)]) | some id in public])

message("error") := concat("", ["audit storage sink(s) ", concat(", ", unknown), ": the storage account's public access could not be read"])

message("pass") := "every storage account receiving the audit logs disallows public blob access and closes its network"
