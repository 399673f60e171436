# Shared fixtures for the policy tests: a pinned clock and builders for vaults and objects.
package vaultproof.test.fixtures

import rego.v1

now := 1795910400 # 2026-11-29T00:00:00Z

day := 86400

days_ago(n) := now - (n * day)

azure_vault(overrides) := object.union(
	{
		"id": "/subscriptions/s1/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv-test",
		"provider": "azure-keyvault",
		"name": "kv-test",
		"address": "https://kv-test.vault.azure.net/",
		"region": "westeurope",
		"role": "primary",
		"config": {
			"soft_delete": true, "soft_delete_retention_days": 90, "purge_protection": true,
			"permission_model": "rbac", "public_network_access": "disabled",
			"network_default_action": "deny", "private_endpoints": 1, "sku": "premium",
		},
		"audit": {"destinations": []},
		"objects": {},
	},
	overrides,
)

# An object whose current version was created `age` days ago.
obj(id, kind, path, age, extra) := object.union(
	{
		"id": id, "kind": kind, "name": id, "path": path, "enabled": true,
		"created": days_ago(age), "updated": days_ago(age), "expires": null, "not_before": null,
		"tags": {}, "content_type": null, "current_version": "v1",
		"versions": {"v1": {
			"created": days_ago(age), "updated": days_ago(age), "expires": null,
			"not_before": null, "enabled": true,
		}},
	},
	extra,
)

vault_input(objects) := {"kind": "vault", "now": now, "vault": azure_vault({"objects": objects})}

statuses(findings) := {[f.resource.id, f.status] | some f in findings}
