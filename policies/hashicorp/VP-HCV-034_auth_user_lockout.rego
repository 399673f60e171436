# METADATA
# title: Vault userpass, LDAP and AppRole mounts lock out repeated failed logins
# description: |
#   Vault 1.13 and later locks an entity out of userpass, LDAP and AppRole mounts after repeated
#   failed logins, a guard against password and secret-id guessing. Each such auth mount must set
#   its user lockout (`sys/auth/<path>/tune` `user_lockout_config`, shown by `GET sys/auth`) with
#   lockout not disabled and a threshold above 0: a mount that sets none relies on a server-wide
#   `user_lockout` stanza the API does not show, and fails, since nothing proves it. A vault without
#   such mounts passes. When sys/auth was not read (or the snapshot predates the collection of user
#   lockout) the rule yields error.
# custom:
#   id: VP-HCV-034
#   severity: medium
#   control: HashiCorp Vault production hardening (peer); secrets-management §3 (authentication)
#   requirements: []
#   beyond_standard: true
#   metric: AuthMountsWithoutLockout
#   remediation: |
#     Set the lockout on the mount (`vault write sys/auth/<path>/tune
#     user_lockout_config='{"lockout_threshold":"5","lockout_duration":"15m"}'`), and remove any
#     `disable_lockout = true`.
#   references:
#     - "Vault docs: user lockout (userpass, ldap, approle), sys/auth/:path/tune user_lockout_config"
#     - "Vault production hardening: protect authentication endpoints against brute force"
package vaultproof.rules.hashicorp.auth_user_lockout

import data.vaultproof.lib
import rego.v1

metric_name := "AuthMountsWithoutLockout"

lockout_types := {"userpass", "ldap", "approle"}

lockout_read(v) if is_object(object.get(v.hashicorp, "auth_user_lockout", null))

judged(v) := {p: m | some p, m in v.hashicorp.auth_user_lockout; lockout_types[m.type]}

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "hashicorp-vault"
	lockout_read(v)
	mounts := judged(v)
	problems := {concat("", [p, " ", why]) | some p, m in mounts; some why in problem(m)}
	unread := unread_mounts(v)
	status := judge(count(problems), count(unread))
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, value(status, count(problems)), "<=", 0), message(status, mounts, problems, unread))
}

# Mounts of a lockout type the mount table (auth_mounts) lists but the lockout read does not hold:
# their lockout is unknown, so the vault cannot pass.
unread_mounts(v) := {p |
	some p, m in object.get(v.hashicorp, "auth_mounts", {})
	is_object(m)
	lockout_types[m.type]
	not v.hashicorp.auth_user_lockout[p]
}

judge(problems, _) := "fail" if problems > 0

judge(0, unread) := "error" if unread > 0

judge(0, 0) := "pass"

value("error", _) := null

value(status, n) := n if status != "error"

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "hashicorp-vault"
	not lockout_read(v)
	msg := "the user lockout of the auth mounts (sys/auth) could not be read"
	out := lib.finding("error", lib.vault_resource(v), lib.metric(metric_name, null, "<=", 0), msg)
}

problem(m) := {"sets no user lockout"} if m.lockout == null

problem(m) := lockout_problems(m.lockout) if is_object(m.lockout)

lockout_problems(l) := {w | some w in [disabled_problem(l), threshold_problem(l)]; w != ""}

disabled_problem(l) := "has user lockout disabled" if l.disabled == true

disabled_problem(l) := "reports no lockout disable flag" if not is_boolean(l.disabled)

disabled_problem(l) := "" if l.disabled == false

threshold_problem(l) := "has a lockout threshold of 0" if l.threshold == 0

threshold_problem(l) := "reports no lockout threshold" if not is_number(l.threshold)

threshold_problem(l) := "" if l.threshold > 0

message("pass", mounts, _, _) := "no userpass, LDAP or AppRole mount" if count(mounts) == 0

message("pass", mounts, _, _) := concat("", [lib.num_str(count(mounts)), " userpass/LDAP/AppRole mount(s) lock out repeated failed logins: ", concat(", ", sort([p | some p, _ in mounts]))]) if count(mounts) > 0

message("fail", _, problems, _) := concat("; ", sort(problems))

message("error", _, _, unread) := concat("", ["the user lockout of ", concat(", ", sort(unread)), " could not be read (listed in sys/auth, missing from the lockout settings)"])
