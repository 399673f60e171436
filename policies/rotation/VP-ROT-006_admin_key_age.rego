# METADATA
# title: Vault root and admin keys are rotated within 30 days
# description: |
#   Root and administrative credentials must be rotated at least every 30 days, through the
#   break-glass audit procedure. Judged on admin credentials kept in the vault (break-glass,
#   admin keys: age of the current version), on HashiCorp Vault's barrier encryption key (age of
#   the current key term, `sys/key-status` install_time) and on every live root token (age since
#   creation). A Vault whose key status could not be read yields error; unreadable root-token lists
#   are reported by VP-HCV-001.
# custom:
#   id: VP-ROT-006
#   severity: critical
#   control: secrets-management §4
#   requirements: [SM-4-h]
#   metric: AdminKeyAgeDays
#   settings:
#     - thresholds.rotation_days.admin-key
#   remediation: |
#     Rotate the admin/root credential through the break-glass procedure (dual approval, audit
#     event with correlation id) and store it as a new version; rotate Vault's barrier key with
#     `vault operator rotate`; revoke root tokens after use (`vault token revoke <accessor>`).
#   references:
#     - "secrets-management §4: Vault root/admin keys 30 days"
#     - "HashiCorp Vault production hardening: rotate the encryption key, revoke root tokens"
package vaultproof.rules.rotation.admin_key_age

import data.vaultproof.lib
import data.vaultproof.lib.classification
import data.vaultproof.lib.rotation
import rego.v1

metric_name := "AdminKeyAgeDays"

findings[id] := f if some id, f in rotation.age_findings("admin-key", metric_name)

threshold(v) := classification.rotation_days("admin-key", object.get(v, "subsystem", ""))

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "hashicorp-vault"
	ks := v.hashicorp.key_status
	ks != null
	limit := threshold(v)
	age := lib.days_between(ks.install_time, input.now)
	status := lib.status_le(age, limit)
	msg := concat("", ["barrier key term ", lib.num_str(ks.term), " was installed ", lib.num_str(age), " days ago; the interval for admin keys is ", lib.num_str(limit), " days"])
	out := lib.finding(status, barrier_resource(v), lib.metric(metric_name, age, "<=", limit), msg)
}

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "hashicorp-vault"
	object.get(object.get(v, "hashicorp", {}), "key_status", null) == null
	out := lib.finding("error", barrier_resource(v), lib.metric(metric_name, null, "<=", threshold(v)), "the barrier key status (sys/key-status) could not be read")
}

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "hashicorp-vault"
	some t in v.hashicorp.root_tokens
	live(t)
	limit := threshold(v)
	age := lib.days_between(t.created, input.now)
	status := lib.status_le(age, limit)
	msg := concat("", ["root token ", t.accessor_hash, " was created ", lib.num_str(age), " days ago and is still live"])
	out := lib.finding(status, token_resource(v, t), lib.metric(metric_name, age, "<=", limit), msg)
}

live(t) if t.expires == null

live(t) if t.expires > input.now

barrier_resource(v) := {"provider": v.provider, "vault": v.name, "type": "key", "id": concat(":", [v.id, "barrier-key"]), "path": "sys/key-status"}

token_resource(v, t) := {"provider": v.provider, "vault": v.name, "type": "token", "id": concat(":", [v.id, "root-token", t.accessor_hash]), "path": "auth/token/root"}
