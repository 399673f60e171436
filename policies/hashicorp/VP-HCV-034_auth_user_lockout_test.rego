package vaultproof.rules.hashicorp.auth_user_lockout_test

import data.vaultproof.rules.hashicorp.auth_user_lockout as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

lock(threshold, disabled) := {"threshold": threshold, "duration_seconds": 900, "counter_reset_seconds": 0, "disabled": disabled}

inp(lockouts) := fx.hashi_input({"hashicorp": {"auth_user_lockout": lockouts}})

only(findings) := f if {
	count(findings) == 1
	some f in findings
}

test_configured_lockout_passes if {
	f := only(rule.findings) with input as inp({
		"userpass/": {"type": "userpass", "lockout": lock(5, false)},
		"approle/": {"type": "approle", "lockout": lock(10, false)},
		"token/": {"type": "token", "lockout": null},
	})
	f.status == "pass"
	f.metric.value == 0
	f.message == "2 userpass/LDAP/AppRole mount(s) lock out repeated failed logins: approle/, userpass/"
}

test_no_lockout_mounts_pass if {
	f := only(rule.findings) with input as inp({"token/": {"type": "token", "lockout": null}})
	f.status == "pass"
	f.message == "no userpass, LDAP or AppRole mount"
}

test_missing_disabled_or_zero_lockout_fails if {
	f := only(rule.findings) with input as inp({
		"userpass/": {"type": "userpass", "lockout": null},
		"ldap/": {"type": "ldap", "lockout": lock(5, true)},
		"approle/": {"type": "approle", "lockout": lock(0, false)},
	})
	f.status == "fail"
	f.metric.value == 3
	f.message == "approle/ has a lockout threshold of 0; ldap/ has user lockout disabled; userpass/ sets no user lockout"
}

# First law: unread facts never pass.
test_unread_is_error if {
	f := only(rule.findings) with input as inp(null)
	f.status == "error"
	f.metric.value == null
	g := only(rule.findings) with input as fx.hashi_input({})
	g.status == "error"
	h := only(rule.findings) with input as inp({"userpass/": {"type": "userpass", "lockout": lock(null, null)}})
	h.status == "fail"
	h.message == "userpass/ reports no lockout disable flag; userpass/ reports no lockout threshold"
}

test_azure_vault_not_judged if {
	count(rule.findings) == 0 with input as fx.vault_input({})
}

# The less-evidence property found it: a lockout-type mount the mount table lists but the lockout read
# does not hold made the vault pass ("no userpass, LDAP or AppRole mount"); its lockout is unknown.
test_mount_listed_without_its_lockout_is_error if {
	i := fx.hashi_input({"hashicorp": {
		"auth_user_lockout": {"token/": {"type": "token", "lockout": null}},
		"auth_mounts": {"approle/": {"path": "approle/", "type": "approle", "default_lease_ttl": 0, "max_lease_ttl": 0}, "token/": {"path": "token/", "type": "token", "default_lease_ttl": 0, "max_lease_ttl": 0}},
	}})
	f := only(rule.findings) with input as i
	f.status == "error"
	f.metric.value == null
	f.message == "the user lockout of approle/ could not be read (listed in sys/auth, missing from the lockout settings)"
}

test_a_failing_mount_stays_failing_beside_an_unread_one if {
	i := fx.hashi_input({"hashicorp": {
		"auth_user_lockout": {"userpass/": {"type": "userpass", "lockout": null}},
		"auth_mounts": {"approle/": {"path": "approle/", "type": "approle", "default_lease_ttl": 0, "max_lease_ttl": 0}, "userpass/": {"path": "userpass/", "type": "userpass", "default_lease_ttl": 0, "max_lease_ttl": 0}},
	}})
	f := only(rule.findings) with input as i
	f.status == "fail"
}
