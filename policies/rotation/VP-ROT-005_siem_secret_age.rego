# METADATA
# title: SIEM and telemetry secrets are rotated within 30 days
# description: |
#   Secrets that ship telemetry to the SIEM must be rotated at least every 30 days.
# custom:
#   id: VP-ROT-005
#   severity: medium
#   control: secrets-management §4
#   requirements: [SM-4-g]
#   metric: SIEMSecretExpiryDays
#   settings:
#     - thresholds.rotation_days.siem-secret
#   remediation: |
#     Rotate the SIEM/telemetry secret, update the forwarders through the configuration pipeline
#     and record the rotation event.
#   references:
#     - "secrets-management §4: SIEMSecretExpiryDays <= 30"
package vaultproof.rules.rotation.siem_secret_age

import data.vaultproof.lib.rotation
import rego.v1

findings := rotation.age_findings("siem-secret", "SIEMSecretExpiryDays")
