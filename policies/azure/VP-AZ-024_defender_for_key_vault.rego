# METADATA
# title: Microsoft Defender for Key Vault is enabled on the vault's subscription
# description: |
#   The standard relies on detecting unauthorised access to secrets (§6, §7.2): Microsoft Defender
#   for Key Vault alerts on unusual access patterns (access from a TOR exit node, an unusual
#   application or user, mass reads). It is a subscription plan
#   (`Microsoft.Security/pricings/KeyVaults`, pricing tier Standard). Judged on every Azure Key
#   Vault (not Managed HSMs, which the plan does not cover); a plan that could not be read yields
#   error.
# custom:
#   id: VP-AZ-024
#   severity: medium
#   control: secrets-management §6 (peer)
#   requirements: [SM-7.2-a]
#   metric: DefenderForKeyVaultEnabled
#   remediation: |
#     Enable the plan on the subscription: `az security pricing create --name KeyVaults --tier
#     Standard` (or Defender for Cloud > Environment settings > Key Vault: On), and route its alerts
#     to the SIEM.
#   references:
#     - "Prowler: defender_ensure_defender_for_keyvault_is_on"
#     - "Azure Policy: Azure Defender for Key Vault should be enabled"
package vaultproof.rules.azure.defender_for_key_vault

import data.vaultproof.lib
import rego.v1

metric_name := "DefenderForKeyVaultEnabled"

key_vault(v) if {
	v.provider == "azure-keyvault"
	object.get(v, "kind", "key-vault") == "key-vault"
}

findings[out.resource.id] := out if {
	v := input.vault
	key_vault(v)
	on := v.config.defender_for_key_vault
	is_boolean(on)
	status := lib.status_bool(on)
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, on, "==", true), message(on))
}

findings[out.resource.id] := out if {
	v := input.vault
	key_vault(v)
	not plan_known(v)
	out := lib.finding("error", lib.vault_resource(v), lib.metric(metric_name, null, "==", true), "the subscription's Defender for Key Vault plan could not be read")
}

plan_known(v) if is_boolean(v.config.defender_for_key_vault)

message(true) := "Microsoft Defender for Key Vault is on for the vault's subscription"

message(false) := "Microsoft Defender for Key Vault is off (Free) for the vault's subscription"
