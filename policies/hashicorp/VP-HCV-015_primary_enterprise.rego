# METADATA
# title: A HashiCorp Vault cluster that is a region's primary runs Vault Enterprise
# description: |
#   The standard names the primary vault of a region: Azure Key Vault, or HashiCorp Vault Enterprise
#   (§1.1). The open-source edition lacks what a primary is relied on for: replication to the
#   region's fallback, control groups for break-glass dual control, seal wrap and namespaces. Judged
#   on every HashiCorp Vault whose role is `primary` (the role VP-CFG-002 counts as the region's
#   primary vault, declared in the config); secondaries are not judged. The edition is the collector's
#   `hashicorp.enterprise`: the server version's `+ent`/`+prem` build suffix (`sys/seal-status`), or,
#   when the version was not read, whether `sys/license/status` (served by Enterprise only) answered.
#   An edition that was not read yields error.
# custom:
#   id: VP-HCV-015
#   severity: high
#   control: secrets-management §1.1
#   requirements: [SM-1.1-a]
#   metric: PrimaryVaultEnterprise
#   remediation: |
#     Run the region's primary on Vault Enterprise (install the Enterprise binary with its license,
#     `license_path` in the server configuration, and restart node by node), or make an Azure Key
#     Vault the region's primary and this cluster a secondary. If the edition could not be read, grant
#     the scanning policy `read` on `sys/seal-status` (unauthenticated) and `sys/license/status`.
#   references:
#     - "secrets-management §1.1: primary vault Azure Key Vault (or HashiCorp Vault Enterprise)"
#     - "Vault API: sys/license/status (Enterprise only), sys/seal-status version (+ent build suffix)"
#     - "Vault production hardening: replication, control groups and seal wrap are Enterprise features"
package vaultproof.rules.hashicorp.primary_enterprise

import data.vaultproof.lib
import rego.v1

metric_name := "PrimaryVaultEnterprise"

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "hashicorp-vault"
	object.get(v, "role", null) == "primary"
	edition := edition_of(v)
	status := judge(edition)
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, edition, "==", true), message(status, v))
}

# The vault's HashiCorp facts ({} when absent or not an object).
facts(v) := h if {
	h := object.get(v, "hashicorp", null)
	is_object(h)
}

facts(v) := {} if not is_object(object.get(v, "hashicorp", null))

# true / false, or null when the edition was not read (null, absent, or the facts themselves absent).
edition_of(v) := e if {
	e := object.get(facts(v), "enterprise", null)
	is_boolean(e)
}

edition_of(v) := null if not is_boolean(object.get(facts(v), "enterprise", null))

judge(true) := "pass"

judge(false) := "fail"

judge(null) := "error"

version_text(v) := concat("", [" (", version, ")"]) if {
	version := object.get(facts(v), "version", null)
	is_string(version)
}

version_text(v) := "" if not is_string(object.get(facts(v), "version", null))

message("pass", v) := concat("", [v.name, ", the primary vault of ", v.region, ", runs Vault Enterprise", version_text(v)])

message("fail", v) := concat("", [
	v.name, ", the primary vault of ", v.region, ", runs the open-source edition", version_text(v),
	": the standard's primary is Azure Key Vault or HashiCorp Vault Enterprise",
])

message("error", v) := concat("", [
	"the edition of ", v.name, ", the primary vault of ", v.region,
	", could not be read (neither the sys/seal-status version nor sys/license/status)",
])
