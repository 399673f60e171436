package vaultproof.rules.hashicorp.version_supported_test

import data.vaultproof.rules.hashicorp.version_supported as version
import data.vaultproof.test.fixtures as fx
import rego.v1

inp(v) := fx.hashi_input({"hashicorp": object.union(fx.hashi_vault({}).hashicorp, {"version": v})})

only(findings) := f if {
	count(findings) == 1
	some f in findings
}

table := ["1.21.0", "1.20.3", "1.19.0"]

test_supported_release_passes if {
	f := only(version.findings) with input as inp("1.21.4+ent") with data.config.thresholds.vault_supported_versions as table
	f.status == "pass"
	f.metric.value == "1.21.4+ent"
	f.metric.threshold == "1.21.0"
	f.message == "Vault 1.21.4+ent is a supported release (1.21, at or above 1.21.0)"
	only(version.findings).status == "pass" with input as inp("1.20.3") with data.config.thresholds.vault_supported_versions as table
}

test_unsupported_series_or_old_patch_fails if {
	f := only(version.findings) with input as inp("1.18.5+ent") with data.config.thresholds.vault_supported_versions as table
	f.status == "fail"
	f.message == "Vault 1.18.5+ent: release 1.18 is not supported (supported: 1.19, 1.20, 1.21)"
	f.metric.threshold == "1.19.0, 1.20.3, 1.21.0"
	g := only(version.findings) with input as inp("1.20.1") with data.config.thresholds.vault_supported_versions as table
	g.status == "fail"
	g.message == "Vault 1.20.1 is below 1.20.3, the lowest accepted version of 1.20"
}

# The shipped table judges the vaults too (a threshold, tunable).
test_default_table if {
	only(version.findings).status == "pass" with input as inp("1.21.4")
	only(version.findings).status == "fail" with input as inp("1.16.3")
}

# First law: a version not read, or not understood, never passes.
test_unread_or_unparsable_version_is_error if {
	f := only(version.findings) with input as fx.hashi_input({})
	f.status == "error"
	f.metric.value == null
	f.message == "the server version (sys/seal-status) could not be read"
	g := only(version.findings) with input as inp("v-next")
	g.status == "error"
	g.message == "the server version v-next could not be parsed"
}

test_azure_vaults_are_not_judged if {
	count(version.findings) == 0 with input as fx.vault_input({})
}

# The less-evidence property found it: a vault whose HashiCorp facts are absent gave no finding at all.
test_vault_without_hashicorp_facts_is_error if {
	i := json.remove(fx.hashi_input({}), ["vault/hashicorp"])
	f := only(version.findings) with input as i with data.config.thresholds.vault_supported_versions as table
	f.status == "error"
	f.message == "the server version (sys/seal-status) could not be read"
}
