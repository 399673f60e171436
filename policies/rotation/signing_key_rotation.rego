# METADATA
# title: HSM signing keys are rotated within 90 days
# description: |
#   Code-signing keys (Authenticode, Developer ID, APT GPG) must be rotated by their owner at least
#   every 90 days; the evidence pack records SigningKeyRotationComplete for each.
# custom:
#   id: VP-ROT-004
#   severity: high
#   control: secrets-management §4
#   metric: SigningKeyRotationComplete
#   remediation: |
#     Rotate the signing key (new key version in the HSM-backed vault), publish the new public key
#     and record the rotation with the key owner's approval.
#   references:
#     - "secrets-management §4: SigningKeyRotationComplete = True"
package vaultproof.rules.rotation.signing_key_rotation

import data.vaultproof.lib
import data.vaultproof.lib.rotation
import rego.v1

findings contains f if {
	some fact in rotation.aged_objects("signing-key")
	done := fact.status == "pass"
	f := lib.finding(
		fact.status,
		lib.object_resource(fact.vault, fact.object),
		lib.metric("SigningKeyRotationComplete", done, "==", true),
		rotation.age_message("signing-key", fact),
	)
}
