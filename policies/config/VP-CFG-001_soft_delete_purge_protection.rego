# METADATA
# title: Vaults have soft delete and purge protection enabled
# description: |
#   Every vault must keep deleted secrets recoverable and protected from early purge. Azure Key
#   Vault: soft delete and purge protection both on. HashiCorp Vault: every KV mount is version 2
#   (versioned secrets whose deletion is soft and reversible); old KV v1 mounts reported with type
#   `generic` are KV mounts too.
# custom:
#   id: VP-CFG-001
#   severity: high
#   control: secrets-management §1.1
#   requirements: [SM-1.1-c, SM-1.1-d]
#   metric: SoftDeleteAndPurgeProtection
#   remediation: |
#     Azure: `az keyvault update --name <vault> --enable-purge-protection true` (soft delete is on by
#     default and cannot be turned off on new vaults). HashiCorp Vault: upgrade each KV v1 mount with
#     `vault kv enable-versioning <mount>`.
#   references:
#     - "Prowler: keyvault_recoverable"
#     - "Azure Policy: Key vaults should have deletion protection enabled"
#     - "CIS Microsoft Azure Foundations 8.5"
package vaultproof.rules.vault_config.soft_delete_purge_protection

import data.vaultproof.lib
import rego.v1

metric_name := "SoftDeleteAndPurgeProtection"

on_off(true) := "on"

on_off(false) := "off"

# Azure Key Vault: both flags known.
findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "azure-keyvault"
	is_boolean(v.config.soft_delete)
	is_boolean(v.config.purge_protection)
	status := azure_status(v.config.soft_delete, v.config.purge_protection)
	ok := status == "pass"
	msg := concat("", [
		"soft delete is ", on_off(v.config.soft_delete),
		", purge protection is ", on_off(v.config.purge_protection),
	])
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, ok, "==", true), msg)
}

azure_status(true, true) := "pass"

azure_status(sd, pp) := "fail" if {
	[sd, pp] != [true, true]
}

# Azure Key Vault: a flag the collector could not read is an error, never a pass.
findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "azure-keyvault"
	not both_known(v.config)
	msg := "soft delete or purge protection state could not be read"
	out := lib.finding("error", lib.vault_resource(v), lib.metric(metric_name, null, "==", true), msg)
}

both_known(c) if {
	is_boolean(c.soft_delete)
	is_boolean(c.purge_protection)
}

# HashiCorp Vault: every KV mount is v2.
findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "hashicorp-vault"
	v.hashicorp
	v1 := kv_v1_mounts(v)
	status := kv_status(count(v1))
	msg := kv_message(v1, count(kv_mounts(v)))
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, count(v1) == 0, "==", true), msg)
}

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "hashicorp-vault"
	not v.hashicorp
	msg := "the mount table could not be read"
	out := lib.finding("error", lib.vault_resource(v), lib.metric(metric_name, null, "==", true), msg)
}

# Vault reports KV v1 mounts created before the `kv` name as type `generic`.
kv_types := {"kv", "generic"}

kv_mounts(v) := {m.path | some m in v.hashicorp.mounts; kv_types[m.type]}

kv_v1_mounts(v) := {m.path | some m in v.hashicorp.mounts; kv_types[m.type]; m.kv_version != 2}

kv_status(0) := "pass"

kv_status(n) := "fail" if n > 0

kv_message(v1, total) := concat("", ["all ", lib.num_str(total), " KV mounts are version 2"]) if count(v1) == 0

kv_message(v1, _) := concat("", ["KV mounts without versioning (v1): ", concat(", ", sort(v1))]) if count(v1) > 0
