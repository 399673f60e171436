# METADATA
# title: Key vaults with a private endpoint disable public network access
# description: |
#   A private endpoint only keeps a vault off the internet when the public endpoint is closed: with
#   public network access Enabled, the firewall (default action Deny plus IP and virtual-network
#   rules, and the trusted-services bypass) is all that stands between the vault and the internet,
#   and one rule added in a hurry reopens it. Every Azure Key Vault with at least one private
#   endpoint connection must have public network access Disabled. Vaults without one are VP-AZ-012's
#   failure; a count or setting that could not be read yields error.
# custom:
#   id: VP-AZ-023
#   severity: medium
#   control: CIS Microsoft Azure Foundations 8.7 (peer)
#   requirements: []
#   beyond_standard: true
#   metric: PublicNetworkAccessDisabled
#   remediation: |
#     Disable public network access on the vault (`az keyvault update --public-network-access
#     Disabled`) once every consumer reaches it through the private endpoint.
#   references:
#     - "Prowler: keyvault_access_only_through_private_endpoints"
#     - "Azure Policy: Azure Key Vault should disable public network access"
package vaultproof.rules.azure.private_endpoint_only

import data.vaultproof.lib
import rego.v1

metric_name := "PublicNetworkAccessDisabled"

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "azure-keyvault"
	n := v.config.private_endpoints
	is_number(n)
	n > 0
	access := v.config.public_network_access
	is_string(access)
	status := lib.status_bool(access == "disabled")
	msg := concat("", ["public network access is ", access, " on a vault with ", lib.num_str(n), " private endpoint connection(s)"])
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, access == "disabled", "==", true), msg)
}

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "azure-keyvault"
	not count_known(v)
	out := lib.finding("error", lib.vault_resource(v), lib.metric(metric_name, null, "==", true), "private endpoint connections could not be read")
}

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "azure-keyvault"
	n := v.config.private_endpoints
	is_number(n)
	n > 0
	not access_known(v)
	out := lib.finding("error", lib.vault_resource(v), lib.metric(metric_name, null, "==", true), "public network access could not be read")
}

# Helpers: `not is_number(x)` is not true when x is absent (an older or hand-written snapshot).
count_known(v) if is_number(v.config.private_endpoints)

access_known(v) if is_string(v.config.public_network_access)
