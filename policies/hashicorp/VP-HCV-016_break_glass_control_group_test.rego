package vaultproof.rules.hashicorp.break_glass_control_group_test

import data.vaultproof.rules.hashicorp.break_glass_control_group as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

mount(kv) := {"path": "secret/", "type": "kv", "kv_version": kv, "max_versions": 10, "delete_version_after_seconds": 0, "cas_required": false, "default_lease_ttl": 0, "max_lease_ttl": 0}

secret(path) := {
	"id": concat("", ["hashicorp-vault:hv:kv:", path]), "kind": "secret", "name": path, "path": path,
	"enabled": true, "created": fx.days_ago(20), "updated": fx.days_ago(20), "expires": null, "not_before": null,
	"tags": {}, "content_type": null, "current_version": "1",
	"versions": {"1": {"created": fx.days_ago(20), "updated": fx.days_ago(20), "expires": null, "not_before": null, "enabled": true}},
}

cg(approvals) := {"factors": [{"name": "approvers", "approvals": approvals, "group_names": ["break-glass-approvers"], "group_ids": [], "controlled_capabilities": []}]}

rule_of(path, caps) := {"path": path, "capabilities": caps}

guarded(path, caps, approvals) := object.union(rule_of(path, caps), {"control_group": cg(approvals)})

policy(name, rules) := {"name": name, "rules": rules}

inp(policies, extra) := fx.hashi_input({
	"objects": {"hashicorp-vault:hv:kv:secret/EmergencyAccess/root": secret("secret/EmergencyAccess/root"), "hashicorp-vault:hv:kv:secret/apps/db": secret("secret/apps/db")},
	"hashicorp": object.union(object.union(fx.hashi_vault({}).hashicorp, {"mounts": {"secret/": mount(2)}, "policies": policies}), extra),
})

only(findings) := f if {
	count(findings) == 1
	some f in findings
}

bg_reader := policy("break-glass", [guarded("secret/data/EmergencyAccess/*", ["read"], 2)])

test_read_only_through_a_two_approver_control_group_passes if {
	# platform-admin reads secret/data/*, but its more specific EmergencyAccess path is guarded too.
	admin := policy("platform-admin", [rule_of("secret/data/*", ["read", "create", "update"]), guarded("secret/data/EmergencyAccess/*", ["read"], 3)])
	f := only(rule.findings) with input as inp({"break-glass": bg_reader, "platform-admin": admin}, {})
	f.status == "pass"
	f.resource.id == "hashicorp-vault:hv:kv:secret/EmergencyAccess/root"
	f.metric == {"name": "BreakGlassReadsWithoutControlGroup", "value": 0, "op": "==", "threshold": 0}
	f.message == "every ACL policy reading break-glass secret 'secret/EmergencyAccess/root' (secret/data/EmergencyAccess/root) requires a control group of at least 2 approvers: break-glass, platform-admin"
}

test_no_reader_at_all_passes if {
	f := only(rule.findings) with input as inp({"apps": policy("apps", [rule_of("secret/data/apps/*", ["read"])])}, {})
	f.status == "pass"
	f.message == "no ACL policy reads break-glass secret 'secret/EmergencyAccess/root' (secret/data/EmergencyAccess/root) without a control group of 2 approvers"
}

# A more specific deny in the same policy governs: the wide glob does not read the secret.
test_a_more_specific_deny_governs if {
	ops := policy("ops", [rule_of("secret/*", ["read", "list"]), rule_of("secret/data/EmergencyAccess/*", ["deny"])])
	only(rule.findings).status == "pass" with input as inp({"ops": ops, "break-glass": bg_reader}, {})
}

test_wide_read_or_single_approver_fails if {
	legacy := policy("ops-legacy", [rule_of("*", ["read", "list"])])
	single := policy("break-glass", [guarded("secret/data/EmergencyAccess/*", ["read"], 1)])
	f := only(rule.findings) with input as inp({"ops-legacy": legacy, "break-glass": single}, {})
	f.status == "fail"
	f.metric.value == 2
	f.message == "break-glass secret 'secret/EmergencyAccess/root' (secret/data/EmergencyAccess/root) is read without a control group of 2 approvers by break-glass: secret/data/EmergencyAccess/* (1 approval(s)); ops-legacy: * (0 approval(s))"
}

# `+` segments, Vault's priority between two globs, and a factor that does not control read.
test_segment_wildcards_priority_and_controlled_capabilities if {
	# `secret/data/+/root` (first wildcard later) governs over `secret/data/*`... and has no control group.
	p := policy("team", [guarded("secret/data/*", ["read"], 2), rule_of("secret/data/+/root", ["read"])])
	f := only(rule.findings) with input as inp({"team": p}, {})
	f.status == "fail"
	f.message == "break-glass secret 'secret/EmergencyAccess/root' (secret/data/EmergencyAccess/root) is read without a control group of 2 approvers by team: secret/data/+/root (0 approval(s))"
	write_only := policy("bg", [object.union(rule_of("secret/data/EmergencyAccess/*", ["read", "update"]), {"control_group": {"factors": [{"name": "w", "approvals": 2, "group_names": ["g"], "group_ids": [], "controlled_capabilities": ["update"]}]}})])
	only(rule.findings).status == "fail" with input as inp({"bg": write_only}, {})
	read_too := json.patch(write_only, [{"op": "replace", "path": "/rules/0/control_group/factors/0/controlled_capabilities", "value": ["read", "update"]}])
	only(rule.findings).status == "pass" with input as inp({"bg": read_too}, {})
}

test_kv_v1_value_path_and_threshold if {
	p := policy("legacy", [guarded("secret/EmergencyAccess/*", ["read"], 2)])
	only(rule.findings).status == "pass" with input as inp({"legacy": p}, {"mounts": {"secret/": mount(1)}})
	# the data/ path of a KV v2 mount is not the one KV v1 reads
	only(rule.findings).status == "pass" with input as inp({"legacy": policy("x", [rule_of("secret/data/EmergencyAccess/*", ["read"])])}, {"mounts": {"secret/": mount(1)}})
	only(rule.findings).status == "fail" with input as inp({"legacy": p}, {"mounts": {"secret/": mount(1)}}) with data.config.thresholds.break_glass_min_approvers as 3
}

test_open_source_vaults_and_azure_are_not_judged if {
	count(rule.findings) == 0 with input as inp({"ops-legacy": policy("ops-legacy", [rule_of("*", ["read"])])}, {"enterprise": false})
	count(rule.findings) == 0 with input as fx.vault_input({})
}

# First law: the edition, the policies or the mount table unread is error, never a pass.
test_unread_facts_are_error if {
	f := only(rule.findings) with input as inp({}, {"enterprise": null})
	f.status == "error"
	f.metric.value == null
	f.message == "break-glass secret 'secret/EmergencyAccess/root': whether the vault is Vault Enterprise (control groups) could not be read"
	g := only(rule.findings) with input as json.remove(inp({}, {}), ["vault/hashicorp/policies"])
	g.status == "error"
	g.message == "break-glass secret 'secret/EmergencyAccess/root': the ACL policies could not be read"
	h := only(rule.findings) with input as json.remove(inp({}, {}), ["vault/hashicorp/mounts"])
	h.message == "break-glass secret 'secret/EmergencyAccess/root': the KV mount holding it (and so the path reading its value) could not be read"
	only(rule.findings).status == "error" with input as inp({}, {"mounts": {"secret/": object.union(mount(2), {"kv_version": null})}})
	only(rule.findings).status == "error" with input as json.remove(inp({}, {}), ["vault/hashicorp"])
}
