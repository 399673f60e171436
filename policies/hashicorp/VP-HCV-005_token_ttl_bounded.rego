# METADATA
# title: Auth roles issue tokens with a bounded lifetime
# description: |
#   Tokens and AppRole secret IDs that never expire turn a leak into permanent access. Every auth
#   role (AppRole, Kubernetes, JWT/OIDC, cert...) must set `token_max_ttl` above 0 and at most
#   `max_token_ttl_seconds` (0 falls back to the mount/system maximum, 32 days by default); AppRole
#   roles must also let secret IDs expire (`secret_id_ttl` > 0). A role whose TTLs could not be
#   read yields error.
# custom:
#   id: VP-HCV-005
#   severity: medium
#   control: HashiCorp Vault production hardening (peer)
#   requirements: []
#   beyond_standard: true
#   metric: TokenMaxTtlSeconds
#   settings:
#     - thresholds.max_token_ttl_seconds
#   remediation: |
#     `vault write auth/<mount>/role/<name> token_max_ttl=24h token_ttl=1h` (and
#     `secret_id_ttl=720h` for AppRole); prefer short-lived tokens renewed by the agent.
#   references:
#     - "HashiCorp Vault production hardening: short TTLs, no non-expiring tokens"
package vaultproof.rules.hashicorp.token_ttl_bounded

import data.vaultproof.lib
import rego.v1

metric_name := "TokenMaxTtlSeconds"

limit := data.config.thresholds.max_token_ttl_seconds

roles contains r if {
	v := input.vault
	v.provider == "hashicorp-vault"
	some r in v.hashicorp.auth_roles
}

findings[out.resource.id] := out if {
	some r in roles
	is_number(r.token_max_ttl)
	problems := {p | p := unbounded(r)} | {p | p := too_long(r)} | {p | p := secret_id_forever(r)}
	status := lib.status_le(count(problems), 0)
	msg := message(r, problems)
	out := lib.finding(status, role_resource(r), lib.metric(metric_name, r.token_max_ttl, "<=", limit), msg)
}

findings[out.resource.id] := out if {
	some r in roles
	not ttl_known(r)
	msg := concat("", ["the token TTLs of role ", r.name, " could not be read"])
	out := lib.finding("error", role_resource(r), lib.metric(metric_name, null, "<=", limit), msg)
}

ttl_known(r) if is_number(r.token_max_ttl)

unbounded(r) := "token_max_ttl is 0 (falls back to the system maximum)" if r.token_max_ttl == 0

too_long(r) := concat("", ["token_max_ttl ", lib.num_str(r.token_max_ttl), " s is over ", lib.num_str(limit), " s"]) if r.token_max_ttl > limit

secret_id_forever(r) := "secret IDs never expire (secret_id_ttl 0)" if {
	r.method == "approle"
	r.secret_id_ttl == 0
}

message(r, problems) := concat("", ["role ", r.name, " issues tokens for at most ", lib.num_str(r.token_max_ttl), " s"]) if count(problems) == 0

message(r, problems) := concat("", ["role ", r.name, ": ", concat("; ", sort(problems))]) if count(problems) > 0

role_resource(r) := {"provider": "hashicorp-vault", "vault": input.vault.name, "type": "role", "id": r.id, "path": concat("", ["auth/", r.name])}
