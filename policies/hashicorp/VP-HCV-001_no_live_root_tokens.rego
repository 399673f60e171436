# METADATA
# title: No root token is left alive
# description: |
#   Root tokens bypass every policy. HashiCorp's production hardening asks that they be revoked
#   after initial setup and generated only for emergencies, then revoked again. Every HashiCorp
#   Vault must have no live (unexpired) root token; a token list that could not be read (it needs
#   `sudo` on `auth/token/accessors`) yields error.
# custom:
#   id: VP-HCV-001
#   severity: critical
#   control: HashiCorp Vault production hardening (peer)
#   requirements: [SM-0-c, SM-4-h]
#   metric: RootTokenCount
#   remediation: |
#     Revoke the root tokens (`vault token revoke -accessor <accessor>`); when root is needed,
#     generate one through `vault operator generate-root` under the break-glass procedure and revoke
#     it right after.
#   references:
#     - "HashiCorp Vault production hardening: revoke root tokens"
#     - "secrets-management §4: vault root keys via break-glass audit event"
package vaultproof.rules.hashicorp.no_live_root_tokens

import data.vaultproof.lib
import rego.v1

metric_name := "RootTokenCount"

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "hashicorp-vault"
	is_array(v.hashicorp.root_tokens)
	live := {t.accessor_hash | some t in v.hashicorp.root_tokens; alive(t)}
	status := lib.status_le(count(live), 0)
	msg := message(live)
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, count(live), "==", 0), msg)
}

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "hashicorp-vault"
	not tokens_known(v)
	out := lib.finding("error", lib.vault_resource(v), lib.metric(metric_name, null, "==", 0), "the root token list (auth/token/accessors) could not be read")
}

tokens_known(v) if is_array(v.hashicorp.root_tokens)

alive(t) if t.expires == null

alive(t) if t.expires > input.now

message(live) := "no live root token" if count(live) == 0

message(live) := concat("", [lib.num_str(count(live)), " live root token(s): ", concat(", ", sort(live))]) if count(live) > 0
