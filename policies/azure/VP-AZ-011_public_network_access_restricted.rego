# METADATA
# title: Key vaults are not reachable from any public network
# description: |
#   A vault reachable from the internet is one leaked token away from exfiltration. Public network
#   access must be disabled, or the firewall's default action must be Deny (only allow-listed
#   networks and trusted services). Network settings that could not be read yield error.
# custom:
#   id: VP-AZ-011
#   severity: high
#   control: CIS Microsoft Azure Foundations 8.7 (peer)
#   requirements: []
#   beyond_standard: true
#   metric: PublicNetworkAccessRestricted
#   remediation: |
#     `az keyvault update --name <vault> --public-network-access Disabled` once a private endpoint
#     is in place, or at least `--default-action Deny` with the required IP/VNet rules.
#   references:
#     - "Azure Policy: Azure Key Vault should disable public network access"
#     - "Azure Policy: Azure Key Vault should have firewall enabled"
#     - "CIS Microsoft Azure Foundations 8.7: Key Vault public network access restricted"
package vaultproof.rules.azure.public_network_access_restricted

import data.vaultproof.lib
import rego.v1

metric_name := "PublicNetworkAccessRestricted"

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "azure-keyvault"
	ok := restricted(v.config.public_network_access, v.config.network_default_action)
	status := lib.status_bool(ok)
	msg := concat("", ["public network access ", str(v.config.public_network_access), ", firewall default action ", str(v.config.network_default_action)])
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, ok, "==", true), msg)
}

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "azure-keyvault"
	not restricted(v.config.public_network_access, v.config.network_default_action)
	not unrestricted(v.config.public_network_access, v.config.network_default_action)
	out := lib.finding("error", lib.vault_resource(v), lib.metric(metric_name, null, "==", true), "the network settings could not be read")
}

restricted("disabled", _) := true

restricted("enabled", "deny") := true

restricted("enabled", "allow") := false

unrestricted("enabled", "allow")

str(null) := "unknown"

str(s) := s if s != null
