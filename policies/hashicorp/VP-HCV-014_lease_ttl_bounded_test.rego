package vaultproof.rules.hashicorp.lease_ttl_bounded_test

import data.vaultproof.rules.hashicorp.lease_ttl_bounded as lease
import data.vaultproof.test.fixtures as fx
import rego.v1

mount(path, type, def, max) := {"path": path, "type": type, "kv_version": null, "max_versions": null, "delete_version_after_seconds": null, "cas_required": null, "default_lease_ttl": def, "max_lease_ttl": max}

auth(path, type, def, max) := {"path": path, "type": type, "default_lease_ttl": def, "max_lease_ttl": max}

server(def, max) := {"listeners": [], "cluster_addr": null, "api_addr": null, "default_lease_ttl": def, "max_lease_ttl": max}

# Exactly these facts (object.union would merge mounts into the fixture's).
inp(mounts, auths, srv) := {"kind": "vault", "now": fx.now, "vault": object.union(object.remove(fx.hashi_vault({}), ["hashicorp"]), {"hashicorp": object.union(object.remove(fx.hashi_vault({}).hashicorp, ["mounts"]), {"mounts": mounts, "auth_mounts": auths, "server_config": srv})})}

day := 86400

only(findings) := f if {
	count(findings) == 1
	some f in findings
}

test_bounded_ttls_pass if {
	mounts := {"secret/": mount("secret/", "kv", 0, 0), "database/": mount("database/", "database", 3600, 86400), "sys/": mount("sys/", "system", 0, 0)}
	f := only(lease.findings) with input as inp(mounts, {"token/": auth("token/", "token", 0, 0)}, server(0, 0))
	f.status == "pass"
	f.metric.value == 0
	f.message == "the system and 3 mount(s) keep leases at most 2764800 s"
}

test_long_ttls_fail if {
	mounts := {"secret/": mount("secret/", "kv", 0, 0), "database/": mount("database/", "database", 3600, 365 * day)}
	f := only(lease.findings) with input as inp(mounts, {"approle/": auth("approle/", "approle", 0, 0)}, server(day, 90 * day))
	f.status == "fail"
	f.metric.value == 4
	f.message == "over 2764800 s: auth/approle/: max lease TTL 7776000 s (the system's); database/: max lease TTL 31536000 s; secret/: max lease TTL 7776000 s (the system's); system max lease TTL 7776000 s"
}

test_threshold_from_config if {
	i := inp({"database/": mount("database/", "database", 3600, 2 * day)}, {}, server(3600, day))
	only(lease.findings).status == "pass" with input as i
	only(lease.findings).status == "fail" with input as i with data.config.thresholds.max_lease_ttl_seconds as day
}

# First law: a TTL not read (on a mount, or the system's a mount falls back to) never passes.
test_unread_ttls_are_error if {
	f := only(lease.findings) with input as inp({"secret/": mount("secret/", "kv", 0, 0)}, {}, null)
	f.status == "error"
	f.metric.value == null
	f.message == "could not be read: the system lease TTLs (sys/config/state/sanitized)"
	g := only(lease.findings) with input as inp({"secret/": mount("secret/", "kv", null, null)}, {}, server(0, 0))
	g.status == "error"
	g.message == "could not be read: the lease TTLs of secret/"
	h := only(lease.findings) with input as inp({}, null, server(0, 0))
	h.status == "error"
	h.message == "could not be read: the auth mounts (sys/auth)"
	# an older snapshot: no TTLs in its server configuration, no auth mounts
	k := only(lease.findings) with input as fx.hashi_input({})
	k.status == "error"
}

test_azure_vaults_are_not_judged if {
	count(lease.findings) == 0 with input as fx.vault_input({})
}
