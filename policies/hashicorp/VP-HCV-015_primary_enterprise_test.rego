package vaultproof.rules.hashicorp.primary_enterprise_test

import data.vaultproof.rules.hashicorp.primary_enterprise as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

only(findings) := f if {
	count(findings) == 1
	some f in findings
}

inp(role, facts) := fx.hashi_input({"role": role, "hashicorp": object.union(fx.hashi_vault({}).hashicorp, facts)})

test_enterprise_primary_passes if {
	f := only(rule.findings) with input as inp("primary", {"enterprise": true, "version": "1.21.4+ent"})
	f.status == "pass"
	f.metric == {"name": "PrimaryVaultEnterprise", "value": true, "op": "==", "threshold": true}
	f.message == "hv, the primary vault of westeurope, runs Vault Enterprise (1.21.4+ent)"
}

test_open_source_primary_fails if {
	f := only(rule.findings) with input as inp("primary", {"enterprise": false, "version": "1.21.4"})
	f.status == "fail"
	f.metric.value == false
	f.message == "hv, the primary vault of westeurope, runs the open-source edition (1.21.4): the standard's primary is Azure Key Vault or HashiCorp Vault Enterprise"
}

# The edition read from sys/license/status alone (the version unread) is judged the same way.
test_edition_without_version_is_judged if {
	f := only(rule.findings) with input as inp("primary", {"enterprise": false})
	f.status == "fail"
	f.message == "hv, the primary vault of westeurope, runs the open-source edition: the standard's primary is Azure Key Vault or HashiCorp Vault Enterprise"
}

test_secondaries_and_azure_vaults_are_not_judged if {
	count(rule.findings) == 0 with input as inp("secondary", {"enterprise": false, "version": "1.21.4"})
	count(rule.findings) == 0 with input as fx.vault_input({})
}

# First law: an edition that was not read (null, absent, or no HashiCorp facts at all) never passes.
test_unread_edition_is_error if {
	f := only(rule.findings) with input as inp("primary", {"enterprise": null})
	f.status == "error"
	f.metric.value == null
	f.message == "the edition of hv, the primary vault of westeurope, could not be read (neither the sys/seal-status version nor sys/license/status)"
	only(rule.findings).status == "error" with input as json.remove(inp("primary", {}), ["vault/hashicorp/enterprise"])
	only(rule.findings).status == "error" with input as json.remove(inp("primary", {}), ["vault/hashicorp"])
}
