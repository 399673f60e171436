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

hashi_vault(overrides) := object.union(
	{
		"id": "hashicorp-vault:hv",
		"provider": "hashicorp-vault",
		"name": "hv",
		"address": "https://hv.vault.internal:8200",
		"region": "westeurope",
		"role": "primary",
		"config": {
			"soft_delete": null, "soft_delete_retention_days": null, "purge_protection": null,
			"permission_model": "vault-acl", "public_network_access": null,
			"network_default_action": null, "private_endpoints": null, "sku": null,
		},
		"audit": {"destinations": [
			{"id": "file/", "type": "file", "enabled": true, "categories": ["audit"], "retention_days": null, "options": {"file_path": "/var/log/vault/audit.log"}},
			{"id": "syslog/", "type": "syslog", "enabled": true, "categories": ["audit"], "retention_days": 730, "options": {}},
		]},
		"objects": {},
		"hashicorp": {
			"enterprise": true, "sealed": false, "mounts": {}, "policies": {}, "auth_roles": {},
			"key_status": {"term": 1, "install_time": days_ago(10)}, "root_tokens": [], "pki": {},
		},
	},
	overrides,
)

hashi_input(overrides) := {"kind": "vault", "now": now, "vault": hashi_vault(overrides)}

principal(id, subsystem, methods, member_of) := {
	"id": id, "provider": "azure-keyvault", "type": "service-principal", "display_name": id,
	"auth_methods": methods, "member_of": member_of, "subsystem": subsystem,
}

grant(id, principal_id, scope, caps) := {
	"id": id, "principal": principal_id, "vault": azure_vault({}).id, "scope": scope,
	"capabilities": caps, "source": "rbac",
}

# A vault shard with objects, grants and principals (all keyed by id).
access_input(objects, grants, principals) := {
	"kind": "vault", "now": now, "vault": azure_vault({"objects": objects}),
	"grants": grants, "principals": principals, "events": null,
}

window := {"from": days_ago(31), "to": now}

# A vault shard with objects and event facts.
events_input(objects, events) := {
	"kind": "vault", "now": now, "vault": azure_vault({"objects": objects}),
	"grants": {}, "principals": {}, "events": events,
}
