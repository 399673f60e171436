# METADATA
# title: Key vaults are reached through a private endpoint
# description: |
#   Private endpoints keep vault traffic on the private network. Each Azure Key Vault needs at
#   least one approved private endpoint connection. A count that could not be read yields error.
# custom:
#   id: VP-AZ-012
#   severity: medium
#   control: CIS Microsoft Azure Foundations 8.7 (peer)
#   requirements: []
#   beyond_standard: true
#   metric: PrivateEndpointCount
#   remediation: |
#     Create a private endpoint for the vault (`az network private-endpoint create ...
#     --group-id vault`) with its private DNS zone, then disable public network access.
#   references:
#     - "Prowler: keyvault_private_endpoints"
#     - "Azure Policy: Azure Key Vaults should use private link"
#     - "CIS Microsoft Azure Foundations 8.7: Private Endpoints are used for Azure Key Vault"
package vaultproof.rules.azure.private_endpoint

import data.vaultproof.lib
import rego.v1

metric_name := "PrivateEndpointCount"

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "azure-keyvault"
	n := v.config.private_endpoints
	is_number(n)
	status := lib.status_le(1, n)
	msg := concat("", [lib.num_str(n), " private endpoint connection(s)"])
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, n, ">=", 1), msg)
}

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "azure-keyvault"
	not count_known(v)
	out := lib.finding("error", lib.vault_resource(v), lib.metric(metric_name, null, ">=", 1), "private endpoint connections could not be read")
}

count_known(v) if is_number(v.config.private_endpoints)
