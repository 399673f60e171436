# METADATA
# title: Vault runs a supported release at or above its minimum patch
# description: |
#   HashiCorp fixes security issues only in the releases it still supports (the current major
#   release and the two before it). Each HashiCorp Vault's server version (`sys/seal-status`
#   `version`, `+ent` and other build suffixes ignored) must belong to a release series listed in
#   `vault_supported_versions`, each entry being the lowest accepted version of its series
#   (`1.20.0` accepts every 1.20 patch; raise it to `1.20.3` after a security fix), and be at or
#   above that entry. A version that was not read or cannot be parsed yields error.
# custom:
#   id: VP-HCV-013
#   severity: medium
#   control: HashiCorp Vault production hardening (peer); secrets-management §1 (supported platform)
#   requirements: []
#   beyond_standard: true
#   metric: VaultVersion
#   settings:
#     - thresholds.vault_supported_versions
#   remediation: |
#     Upgrade the cluster to a supported release (standbys first, then the active node; DR and
#     performance secondaries before their primary), and raise the table's minimum patches as
#     HashiCorp publishes security fixes.
#   references:
#     - "Vault production hardening: upgrade frequently"
#     - "HashiCorp support period policy: the current and two previous major releases"
package vaultproof.rules.hashicorp.version_supported

import data.vaultproof.lib
import rego.v1

metric_name := "VaultVersion"

# "1.21.4+ent", "1.20.0-rc1" -> {"series": "1.21", "patch": 4}; undefined when not major.minor.patch.
parse(version) := {"series": concat(".", [parts[0], parts[1]]), "patch": to_number(parts[2])} if {
	core := split(split(version, "+")[0], "-")[0]
	parts := split(core, ".")
	count(parts) == 3
	every p in parts {
		regex.match(`^[0-9]+$`, p)
	}
}

# Release series -> lowest accepted patch (the lowest when a series is listed twice).
supported[series] := min(patches) if {
	some e in data.config.thresholds.vault_supported_versions
	series := parse(e).series
	patches := {parse(x).patch | some x in data.config.thresholds.vault_supported_versions; parse(x).series == series}
}

minimum(series) := concat("", [series, ".", format_int(supported[series], 10)])

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "hashicorp-vault"
	version := version_of(v)
	is_string(version)
	p := parse(version)
	status := judge(p)
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, version, ">=", threshold(p)), message(status, version, p))
}

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "hashicorp-vault"
	not parsed(v)
	out := lib.finding("error", lib.vault_resource(v), lib.metric(metric_name, null, ">=", null), unread_message(v))
}

parsed(v) if parse(version_of(v))

# The server version, or null when the vault's HashiCorp facts or their version are absent.
version_of(v) := object.get(facts(v), "version", null)

facts(v) := h if {
	h := object.get(v, "hashicorp", null)
	is_object(h)
}

facts(v) := {} if not is_object(object.get(v, "hashicorp", null))

judge(p) := "pass" if supported[p.series] <= p.patch

judge(p) := "fail" if supported[p.series] > p.patch

judge(p) := "fail" if not supported[p.series]

threshold(p) := minimum(p.series) if supported[p.series]

threshold(p) := concat(", ", sort([minimum(s) | some s, _ in supported])) if not supported[p.series]

message("pass", version, p) := concat("", ["Vault ", version, " is a supported release (", p.series, ", at or above ", minimum(p.series), ")"])

message("fail", version, p) := concat("", ["Vault ", version, " is below ", minimum(p.series), ", the lowest accepted version of ", p.series]) if supported[p.series]

message("fail", version, p) := concat("", ["Vault ", version, ": release ", p.series, " is not supported (supported: ", concat(", ", sort([s | some s, _ in supported])), ")"]) if not supported[p.series]

unread_message(v) := concat("", ["the server version ", version_of(v), " could not be parsed"]) if is_string(version_of(v))

unread_message(v) := "the server version (sys/seal-status) could not be read" if not is_string(version_of(v))
