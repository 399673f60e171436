package vaultproof.rules.azure.audit_storage_not_public_test

import data.vaultproof.rules.azure.audit_storage_not_public as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

private := {"allow_blob_public_access": false, "public_network_access": "disabled", "network_default_action": "deny", "immutability": "locked"}

sink(id, storage) := {"id": id, "type": "storage", "enabled": true, "categories": ["AuditEvent"], "retention_days": 0, "storage": storage}

with_destinations(ds) := {"kind": "vault", "now": fx.now, "vault": fx.azure_vault({"audit": {"destinations": ds}})}

statuses(inp) := [f.status | some f in rule.findings with input as inp]

test_private_archive_passes if {
	statuses(with_destinations([sink("a", private)])) == ["pass"]
	# Public network access Enabled behind a Deny firewall is closed too.
	statuses(with_destinations([sink("a", object.union(private, {"public_network_access": "enabled"}))])) == ["pass"]
}

test_public_blobs_or_open_network_fail if {
	statuses(with_destinations([sink("a", object.union(private, {"allow_blob_public_access": true}))])) == ["fail"]
	open := object.union(private, {"public_network_access": "enabled", "network_default_action": "allow"})
	statuses(with_destinations([sink("a", private), sink("b", open)])) == ["fail"]
	some f in rule.findings with input as with_destinations([sink("b", open)])
	f.message == "the audit storage of b accepts traffic from all networks"
	f.metric == {"name": "AuditStoragePublic", "value": 1, "op": "==", "threshold": 0}
}

# First law: an account not read (null), not collected (older snapshot) or not declaring its access is error.
test_unread_storage_is_error if {
	statuses(with_destinations([sink("a", null)])) == ["error"]
	statuses(with_destinations([{"id": "a", "type": "storage", "enabled": true, "categories": ["audit"], "retention_days": 0}])) == ["error"]
	statuses(with_destinations([sink("a", object.union(private, {"allow_blob_public_access": null}))])) == ["error"]
	statuses(with_destinations([sink("a", object.union(private, {"public_network_access": null, "network_default_action": null}))])) == ["error"]
}

test_no_storage_sink_or_no_audit_categories_not_judged if {
	statuses(with_destinations([])) == []
	statuses(with_destinations([{"id": "w", "type": "log-analytics", "enabled": true, "categories": ["audit"], "retention_days": 730}])) == []
	statuses(with_destinations([object.union(sink("a", null), {"categories": ["AzurePolicyEvaluationDetails"]})])) == []
	count(rule.findings) == 0 with input as fx.hashi_input({})
}

# The less-evidence property found it (issue 20's demo fleet): unread diagnostic settings left the vault without a finding.
test_unread_diagnostic_settings_are_error if {
	fx.statuses(rule.findings) == {[fx.azure_vault({}).id, "error"]} with input as with_destinations(null)
	fx.statuses(rule.findings) == {[fx.azure_vault({}).id, "error"]} with input as json.remove(with_destinations([]), ["vault/audit/destinations"])
}
