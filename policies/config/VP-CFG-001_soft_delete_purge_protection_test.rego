package vaultproof.rules.vault_config.soft_delete_purge_protection_test

import data.vaultproof.rules.vault_config.soft_delete_purge_protection as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

vault_id := fx.azure_vault({}).id

test_azure_both_on_passes if {
	fx.statuses(rule.findings) == {[vault_id, "pass"]} with input as {"kind": "vault", "now": fx.now, "vault": fx.azure_vault({})}
}

test_azure_purge_protection_off_fails if {
	v := fx.azure_vault({"config": object.union(fx.azure_vault({}).config, {"purge_protection": false})})
	some f in rule.findings with input as {"kind": "vault", "now": fx.now, "vault": v}
	f.status == "fail"
	f.metric == {"name": "SoftDeleteAndPurgeProtection", "value": false, "op": "==", "threshold": true}
	f.message == "soft delete is on, purge protection is off"
}

test_azure_unknown_flag_is_error if {
	v := fx.azure_vault({"config": object.union(fx.azure_vault({}).config, {"purge_protection": null})})
	fx.statuses(rule.findings) == {[vault_id, "error"]} with input as {"kind": "vault", "now": fx.now, "vault": v}
}

hashi(mounts) := {
	"id": "hashicorp-vault:hv", "provider": "hashicorp-vault", "name": "hv", "address": "https://hv:8200",
	"region": "westeurope", "role": "primary", "config": {}, "audit": {"destinations": []}, "objects": {},
	"hashicorp": {"mounts": mounts},
}

test_hashicorp_kv_v2_passes if {
	m := {"secret/": {"path": "secret/", "type": "kv", "kv_version": 2}, "sys/": {"path": "sys/", "type": "system", "kv_version": null}}
	fx.statuses(rule.findings) == {["hashicorp-vault:hv", "pass"]} with input as {"kind": "vault", "now": fx.now, "vault": hashi(m)}
}

test_hashicorp_kv_v1_fails if {
	m := {"legacy/": {"path": "legacy/", "type": "kv", "kv_version": 1}, "secret/": {"path": "secret/", "type": "kv", "kv_version": 2}}
	some f in rule.findings with input as {"kind": "vault", "now": fx.now, "vault": hashi(m)}
	f.status == "fail"
	f.message == "KV mounts without versioning (v1): legacy/"
}

test_hashicorp_without_mount_table_is_error if {
	v := object.remove(hashi({}), ["hashicorp"])
	fx.statuses(rule.findings) == {["hashicorp-vault:hv", "error"]} with input as {"kind": "vault", "now": fx.now, "vault": v}
}

test_fleet_input_yields_nothing if {
	count(rule.findings) == 0 with input as {"kind": "fleet", "now": fx.now, "vaults": {}, "replication": {}}
}

# Issue 15: Vault reports old KV v1 mounts as type `generic`; they are unversioned KV mounts.
test_hashicorp_generic_mount_fails if {
	m := {
		"secret/": {"path": "secret/", "type": "kv", "kv_version": 2},
		"legacy/": {"path": "legacy/", "type": "generic", "kv_version": 1},
	}
	some f in rule.findings with input as {"kind": "vault", "now": fx.now, "vault": hashi(m)}
	f.status == "fail"
	f.metric.value == false
	f.message == "KV mounts without versioning (v1): legacy/"
}
