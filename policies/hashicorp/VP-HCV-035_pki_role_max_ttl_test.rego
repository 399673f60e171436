package vaultproof.rules.hashicorp.pki_role_max_ttl_test

import data.vaultproof.rules.hashicorp.pki_role_max_ttl as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

day := 86400

mount(path, type, max) := {"path": path, "type": type, "kv_version": null, "max_versions": null, "delete_version_after_seconds": null, "cas_required": null, "default_lease_ttl": 0, "max_lease_ttl": max}

role(max) := {"max_ttl": max, "ttl": 0}

inp(mounts, roles, system_max) := fx.hashi_input({"hashicorp": {"mounts": mounts, "pki_roles": roles, "server_config": {"listeners": [], "cluster_addr": null, "api_addr": null, "default_lease_ttl": 0, "max_lease_ttl": system_max}}})

only(findings) := f if {
	count(findings) == 1
	some f in findings
}

test_bounded_roles_pass if {
	f := only(rule.findings) with input as inp({"pki/": mount("pki/", "pki", 0)}, {"pki/": {"web": role(30 * day), "api": role(90 * day)}}, 0)
	f.status == "pass"
	f.metric.value == 0
	f.message == "2 PKI role(s) issue certificates for at most 90 days"
}

test_long_roles_fail_including_fallbacks if {
	mounts := {"pki/": mount("pki/", "pki", 0), "pki_int/": mount("pki_int/", "pki", 365 * day)}
	roles := {"pki/": {"web": role(365 * day), "inherit": role(0)}, "pki_int/": {"svc": role(0)}}
	f := only(rule.findings) with input as inp(mounts, roles, 0)
	f.status == "fail"
	f.metric.value == 2
	f.message == "over 90 days (7776000 s): pki/roles/web: max TTL 31536000 s; pki_int/roles/svc: max TTL 31536000 s"
	# the system's maximum a year: the inheriting role fails too
	g := only(rule.findings) with input as inp(mounts, roles, 365 * day)
	g.metric.value == 3
}

test_threshold_from_config if {
	i := inp({"pki/": mount("pki/", "pki", 0)}, {"pki/": {"web": role(60 * day)}}, 0)
	only(rule.findings).status == "pass" with input as i
	only(rule.findings).status == "fail" with input as i with data.config.thresholds.pki_leaf_max_age_days as 30
}

test_no_pki_mount_not_judged if {
	count(rule.findings) == 0 with input as inp({"secret/": mount("secret/", "kv", 0)}, {}, 0)
}

test_mount_without_roles_passes if {
	f := only(rule.findings) with input as inp({"pki/": mount("pki/", "pki", 0)}, {"pki/": {}}, 0)
	f.status == "pass"
}

# First law: unread roles or TTLs never pass.
test_unread_is_error if {
	m := {"pki/": mount("pki/", "pki", 0)}
	f := only(rule.findings) with input as inp(m, {"pki/": null}, 0)
	f.status == "error"
	f.message == "could not be read: the roles of pki/"
	g := only(rule.findings) with input as inp(m, {}, 0)
	g.status == "error"
	h := only(rule.findings) with input as inp(m, {"pki/": {"web": role(null)}}, 0)
	h.message == "could not be read: the max TTL of pki/roles/web"
	k := only(rule.findings) with input as inp(m, {"pki/": {"web": role(0)}}, null)
	k.status == "error"
	# an older snapshot: no pki_roles at all
	n := only(rule.findings) with input as fx.hashi_input({"hashicorp": {"mounts": m}})
	n.status == "error"
}

# The less-evidence property found it: a vault whose mount table is absent gave no finding at all.
test_vault_without_mount_table_is_error if {
	i := json.remove(fx.hashi_input({}), ["vault/hashicorp"])
	fs := [f | some f in rule.findings] with input as i
	count(fs) == 1
	fs[0].status == "error"
	contains(fs[0].message, "the mount table (sys/mounts)")
}
