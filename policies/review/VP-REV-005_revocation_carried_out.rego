# METADATA
# title: Revocations decided in last month's review were carried out
# description: |
#   Every revoke decision of the attestation of last month's access review (`review.previous` and
#   `review.attestation` in vaultproof.yaml, or `vaultproof review --previous --attestation`) is
#   judged: it fails when the grant (same id) is still in the snapshot, and passes when it is gone.
#   The decisions reach the rule as `data.config.review.revocations` (one entry per revoke
#   decision, with the grant as last month's review recorded it); without an attestation the rule
#   judges nothing. Shown in the access review.
# custom:
#   id: VP-REV-005
#   severity: high
#   control: secrets-management §3 (Validation)
#   requirements: [SM-3-i]
#   metric: RevocationCarriedOut
#   settings:
#     - review.previous
#     - review.attestation
#   remediation: >-
#     Remove the grant now (role assignment, access policy entry or Vault policy rule) and record
#     why it was late in this month's attestation.
#   references:
#     - "secrets-management §3: monthly VaultAccessReview ensures least privilege"
package vaultproof.rules.review.revocation_carried_out

import data.vaultproof.lib
import rego.v1

metric_name := "RevocationCarriedOut"

findings[out.resource.id] := out if {
	input.kind == "fleet"
	some r in data.config.review.revocations
	still := input.grants[r.grant]
	msg := concat("", [
		"revocation of '", r.principal_name, "' on '", r.scope, "' decided in ", r.review_id, " on ", r.completed_at,
		reason(r), " was not carried out: the grant is still present",
	])
	out := lib.finding("fail", resource(still.vault, vault_name(still.vault, still.vault), still), lib.metric(metric_name, false, "==", true), msg)
}

findings[out.resource.id] := out if {
	input.kind == "fleet"
	some r in data.config.review.revocations
	not input.grants[r.grant]
	msg := concat("", ["'", r.principal_name, "' on '", r.scope, "' was revoked as decided in ", r.review_id])
	gone := {"id": r.grant, "scope": r.scope}
	out := lib.finding("pass", resource(r.vault, r.vault_name, gone), lib.metric(metric_name, true, "==", true), msg)
}

# The grant as a finding resource: the vault's provider from the snapshot (Azure when the vault is gone).
resource(vid, name, g) := {
	"provider": object.get(input.vaults, vid, {"provider": "azure-keyvault"}).provider,
	"vault": name, "type": "grant", "id": g.id, "path": g.scope,
}

vault_name(vid, default_name) := object.get(input.vaults, vid, {"name": default_name}).name

reason(r) := concat("", [" (reason: ", r.reason, ")"]) if r.reason != ""

reason(r) := "" if not r.reason

reason(r) := "" if r.reason == ""
