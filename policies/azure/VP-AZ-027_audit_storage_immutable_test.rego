package vaultproof.rules.azure.audit_storage_immutable_test

import data.vaultproof.rules.azure.audit_storage_immutable as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

protection(state) := {"allow_blob_public_access": false, "public_network_access": "disabled", "network_default_action": "deny", "immutability": state}

sink(id, storage) := {"id": id, "type": "storage", "enabled": true, "categories": ["audit"], "retention_days": 0, "storage": storage}

with_destinations(ds) := {"kind": "vault", "now": fx.now, "vault": fx.azure_vault({"audit": {"destinations": ds}})}

statuses(inp) := [f.status | some f in rule.findings with input as inp]

test_locked_policy_passes if {
	statuses(with_destinations([sink("a", protection("locked"))])) == ["pass"]
	some f in rule.findings with input as with_destinations([sink("a", protection("locked"))])
	f.metric == {"name": "AuditStorageImmutable", "value": true, "op": "==", "threshold": true}
}

test_unlocked_or_no_policy_fails if {
	statuses(with_destinations([sink("a", protection("unlocked"))])) == ["fail"]
	statuses(with_destinations([sink("a", protection("locked")), sink("b", protection("none"))])) == ["fail"]
	some f in rule.findings with input as with_destinations([sink("b", protection("none"))])
	f.message == "the audit storage of b has no immutability policy"
}

# First law: immutability not read (null), an account not read, or an older snapshot is error.
test_unread_immutability_is_error if {
	statuses(with_destinations([sink("a", protection(null))])) == ["error"]
	statuses(with_destinations([sink("a", null)])) == ["error"]
	statuses(with_destinations([{"id": "a", "type": "storage", "enabled": true, "categories": ["AuditEvent"], "retention_days": 0}])) == ["error"]
}

test_no_storage_sink_not_judged if {
	statuses(with_destinations([{"id": "w", "type": "log-analytics", "enabled": true, "categories": ["audit"], "retention_days": 730}])) == []
	statuses(with_destinations([object.union(sink("a", protection("none")), {"enabled": false})])) == []
	count(rule.findings) == 0 with input as fx.hashi_input({})
}

# The less-evidence property found it (issue 20's demo fleet): unread diagnostic settings left the vault without a finding.
test_unread_diagnostic_settings_are_error if {
	fx.statuses(rule.findings) == {[fx.azure_vault({}).id, "error"]} with input as with_destinations(null)
	fx.statuses(rule.findings) == {[fx.azure_vault({}).id, "error"]} with input as json.remove(with_destinations([]), ["vault/audit/destinations"])
}
