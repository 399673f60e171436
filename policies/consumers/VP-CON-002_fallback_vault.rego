# METADATA
# title: Secret consumers fall back to a secondary vault
# description: |
#   When the vault is unavailable the standard has consumers fall back to the secondary vault. For
#   each consumer of the config's `consumers:` block, the consumers collector records the vaults its
#   configuration files name (in file order) and whether its kind can be configured with a fallback
#   at all. Vault Agent and Vault Proxy take one `vault.address` per configuration: the fallback is a
#   second configuration in the consumer's entry naming the secondary cluster. Spring Cloud Azure
#   reads its property sources in order: the fallback is a second property source naming the
#   secondary vault. Such a consumer passes when its files name at least two distinct vaults, fails
#   when they name one, and is error when they name none (the address is not in the files, e.g.
#   VAULT_ADDR). The Secrets Store CSI driver (one vault per SecretProviderClass), External Secrets
#   Operator (one store per ExternalSecret, one vault per store), Azure App Service Key Vault
#   references and the .NET configuration provider cannot express a fallback: they fail, with the
#   reason. A consumer whose files could not be read or parsed is error; consumers of an unknown kind
#   are VP-CON-003's.
# custom:
#   id: VP-CON-002
#   severity: high
#   control: secrets-management §6 (vault service unavailable)
#   metric: FallbackVaultConfigured
#   requirements:
#     - SM-6-b
#   remediation: |
#     Configure the consumer to read the secondary vault when the primary is unavailable: a second
#     Vault Agent/Proxy configuration (or a load-balanced address in front of the DR/performance
#     secondary) for HashiCorp consumers, a second Spring property source; for consumers that cannot
#     express a fallback, front the vault with one that can (Vault Agent/Proxy) or record the
#     accepted risk as a waiver with its expiry.
#   references:
#     - "secrets-management §6: vault service unavailable, fallback to secondary vault"
package vaultproof.rules.consumers.fallback_vault

import data.vaultproof.lib
import data.vaultproof.lib.consumers
import rego.v1

metric_name := "FallbackVaultConfigured"

findings[out.resource.id] := out if {
	some id, c in consumers.known
	vaults := object.get(c, "vaults", [])
	f := object.get(c, "fallback", {})
	status := judge(c, f, vaults)
	out := lib.finding(status, consumers.resource(id, c), lib.metric(metric_name, value(status), "==", true), message(status, id, c, f, vaults))
}

judge(c, _, _) := "error" if consumers.unreadable(c)

judge(c, f, _) := "error" if {
	not consumers.unreadable(c)
	not is_boolean(object.get(f, "supported", null))
}

judge(c, f, _) := "fail" if {
	not consumers.unreadable(c)
	object.get(f, "supported", null) == false
}

judge(c, f, vaults) := "pass" if {
	not consumers.unreadable(c)
	object.get(f, "supported", null) == true
	count(vaults) >= 2
}

judge(c, f, vaults) := "fail" if {
	not consumers.unreadable(c)
	object.get(f, "supported", null) == true
	count(vaults) == 1
}

judge(c, f, vaults) := "error" if {
	not consumers.unreadable(c)
	object.get(f, "supported", null) == true
	count(vaults) == 0
}

value("pass") := true

value("fail") := false

value("error") := null

message("error", id, c, _, _) := concat("", [consumers.label(id, c), " not judged: ", consumers.unreadable(c)]) if consumers.unreadable(c)

message("error", id, c, f, _) := concat("", [consumers.label(id, c), ": whether it can fall back is not recorded"]) if {
	not consumers.unreadable(c)
	not is_boolean(object.get(f, "supported", null))
}

message("error", id, c, f, vaults) := concat("", [consumers.label(id, c), ": its files name no vault address (set at run time, e.g. VAULT_ADDR?), so its fallback cannot be judged; ", detail(f)]) if {
	not consumers.unreadable(c)
	f.supported == true
	count(vaults) == 0
}

message("fail", id, c, f, _) := concat("", [consumers.label(id, c), " cannot fall back to a secondary vault: ", detail(f)]) if f.supported == false

message("fail", id, c, f, vaults) := concat("", [consumers.label(id, c), " names only vault ", vaults[0], ": no secondary to fall back to; ", detail(f)]) if f.supported == true

message("pass", id, c, _, vaults) := concat("", [consumers.label(id, c), " names ", format_int(count(vaults), 10), " vaults (", concat(", ", vaults), "): a secondary to fall back to"])

detail(f) := d if {
	d := object.get(f, "detail", "")
	is_string(d)
}
