# METADATA
# title: Key vaults use the Azure RBAC permission model
# description: |
#   Azure RBAC gives data-plane permissions per role and scope, logged and reviewable with the rest
#   of Entra ID; vault access policies are coarse, per vault, and let anyone with vault write grant
#   themselves data access. Azure Key Vaults must use the RBAC permission model (Managed HSMs use
#   their local RBAC and are judged the same way). A model that could not be read yields error.
# custom:
#   id: VP-AZ-001
#   severity: medium
#   control: CIS Microsoft Azure Foundations 8.6 (peer)
#   requirements: [SM-0-c]
#   metric: RbacPermissionModel
#   remediation: |
#     Recreate the access policies as role assignments (Key Vault Secrets User / Crypto User ...),
#     then `az keyvault update --name <vault> --enable-rbac-authorization true`.
#   references:
#     - "Prowler: keyvault_rbac_enabled"
#     - "Azure Policy: Azure Key Vault should use RBAC permission model"
#     - "CIS Microsoft Azure Foundations 8.6: Enable Role Based Access Control for Azure Key Vault"
package vaultproof.rules.azure.rbac_permission_model

import data.vaultproof.lib
import rego.v1

metric_name := "RbacPermissionModel"

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "azure-keyvault"
	model := v.config.permission_model
	model != null
	status := lib.status_bool(model == "rbac")
	msg := concat("", ["permission model is ", model])
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, model, "==", "rbac"), msg)
}

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "azure-keyvault"
	v.config.permission_model == null
	out := lib.finding("error", lib.vault_resource(v), lib.metric(metric_name, null, "==", "rbac"), "the permission model could not be read")
}
