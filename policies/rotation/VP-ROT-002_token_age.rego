# METADATA
# title: API tokens are rotated within 60 days
# description: |
#   API tokens (Jamf, Landscape, scanning tools...) must be rotated by the pipeline at least every
#   60 days. Age is measured from the creation of the current version.
# custom:
#   id: VP-ROT-002
#   severity: high
#   control: secrets-management §4
#   requirements: [SM-4-b]
#   metric: TokenAgeDays
#   settings:
#     - thresholds.rotation_days.api-token
#   remediation: |
#     Trigger the token rotation pipeline, store the new token as a new version and record the
#     rotation event with its correlation id.
#   references:
#     - "secrets-management §4: API tokens 60 days"
package vaultproof.rules.rotation.token_age

import data.vaultproof.lib.rotation
import rego.v1

findings := object.union(rotation.age_findings("api-token", "TokenAgeDays"), rotation.age_findings("scanner-token", "TokenAgeDays"))
