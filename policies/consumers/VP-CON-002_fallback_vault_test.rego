package vaultproof.rules.consumers.fallback_vault_test

import data.vaultproof.rules.consumers.fallback_vault as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

consumer(kind, provider, vaults, supported) := {
	"id": "orders", "name": "orders", "kind": kind, "files": ["application.yml"],
	"provider": provider, "vaults": vaults,
	"refresh": {"seconds": 300, "basis": "configured", "setting": "s", "detail": "d"},
	"fallback": {"supported": supported, "detail": "how"},
}

fleet(cs) := {"kind": "fleet", "now": fx.now, "vaults": {}, "replication": {}, "consumers": cs}

only(fs) := f if {
	count(fs) == 1
	some f in fs
}

test_two_vaults_pass if {
	c := consumer("spring-cloud-azure-keyvault", "azure-keyvault", ["https://kv-weu.vault.azure.net", "https://kv-neu.vault.azure.net"], true)
	f := only(rule.findings) with input as fleet({"orders": c})
	f.status == "pass"
	f.metric == {"name": "FallbackVaultConfigured", "value": true, "op": "==", "threshold": true}
	f.message == "consumer 'orders' (spring-cloud-azure-keyvault) names 2 vaults (https://kv-weu.vault.azure.net, https://kv-neu.vault.azure.net): a secondary to fall back to"
}

test_one_vault_fails if {
	c := consumer("vault-agent", "hashicorp-vault", ["https://vault-weu:8200"], true)
	f := only(rule.findings) with input as fleet({"orders": c})
	f.status == "fail"
	f.metric.value == false
	contains(f.message, "names only vault https://vault-weu:8200")
}

test_kind_without_fallback_fails_with_reason if {
	c := consumer("azure-app-service", "azure-keyvault", ["kv-weu.vault.azure.net", "kv-neu.vault.azure.net"], false)
	f := only(rule.findings) with input as fleet({"orders": c})
	f.status == "fail"
	contains(f.message, "cannot fall back to a secondary vault: how")
}

test_no_vault_named_is_error if {
	c := consumer("vault-agent", "hashicorp-vault", [], true)
	f := only(rule.findings) with input as fleet({"orders": c})
	f.status == "error"
	f.metric.value == null
}

test_missing_fallback_record_is_error if {
	c := object.remove(consumer("vault-agent", "hashicorp-vault", ["a", "b"], true), ["fallback"])
	only(rule.findings).status == "error" with input as fleet({"orders": c})
}

test_missing_vaults_is_error if {
	c := object.remove(consumer("vault-agent", "hashicorp-vault", ["a"], true), ["vaults"])
	only(rule.findings).status == "error" with input as fleet({"orders": c})
}

test_parse_error_is_error if {
	c := object.union(consumer("vault-proxy", "hashicorp-vault", ["a", "b"], true), {"error": "proxy.hcl:3: invalid HCL"})
	f := only(rule.findings) with input as fleet({"orders": c})
	f.status == "error"
	contains(f.message, "proxy.hcl:3")
}

test_unknown_kind_is_left_to_con_003 if {
	c := consumer("unknown", null, [], false)
	count(rule.findings) == 0 with input as fleet({"orders": c})
}

test_provider_unknown_names_the_primary_technology if {
	c := consumer("external-secrets", null, [], false)
	only(rule.findings).resource.provider == "azure-keyvault" with input as fleet({"orders": c})
	d := consumer("vault-proxy", null, [], false)
	only(rule.findings).resource.provider == "hashicorp-vault" with input as fleet({"orders": d})
}

test_missing_kind_is_error_not_dropped if {
	c := object.remove(consumer("vault-agent", "hashicorp-vault", ["a", "b"], true), ["kind"])
	only(rule.findings).status == "error" with input as fleet({"orders": c})
}

test_missing_detail_keeps_the_finding if {
	c := consumer("azure-app-service", "azure-keyvault", ["kv"], false)
	d := object.union(c, {"fallback": {"supported": false}})
	only(rule.findings).status == "fail" with input as fleet({"orders": d})
}
