# METADATA
# title: Enabled secrets and keys have an expiration date
# description: |
#   A credential without an expiration date stays valid for ever if rotation stops. Every enabled
#   Azure Key Vault secret and key must carry an expiry on its current version (certificates always
#   expire and are judged by VP-AZ-006).
# custom:
#   id: VP-AZ-002
#   severity: medium
#   control: CIS Microsoft Azure Foundations 8.1-8.4 (peer)
#   requirements: [SM-4-b, SM-4-d]
#   metric: ExpirySet
#   remediation: |
#     Set an expiry on the current version (`az keyvault secret set-attributes --expires ...`,
#     `az keyvault key set-attributes --expires ...`) and have the rotation job set one on every
#     new version.
#   references:
#     - "Prowler: keyvault_rbac_secret_expiration_set, keyvault_non_rbac_secret_expiration_set"
#     - "Prowler: keyvault_rbac_key_expiration_set, keyvault_key_expiration_set_in_non_rbac"
#     - "Azure Policy: Key Vault secrets should have an expiration date"
#     - "Azure Policy: Key Vault keys should have an expiration date"
#     - "CIS Microsoft Azure Foundations 8.1-8.4: expiration date set for all keys and secrets"
package vaultproof.rules.azure.expiry_set

import data.vaultproof.lib
import rego.v1

metric_name := "ExpirySet"

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "azure-keyvault"
	some o in v.objects
	o.kind in {"secret", "key"}
	o.enabled == true
	set := is_number(lib.current_version(o).expires)
	status := lib.status_bool(set)
	msg := message(o, set)
	out := lib.finding(status, lib.object_resource(v, o), lib.metric(metric_name, set, "==", true), msg)
}

message(o, true) := concat("", [o.kind, " '", o.path, "' has an expiration date"])

message(o, false) := concat("", [o.kind, " '", o.path, "' has no expiration date"])
