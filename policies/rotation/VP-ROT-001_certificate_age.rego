# METADATA
# title: Service principal certificates are renewed within 90 days
# description: |
#   Control-plane and connector service principals authenticate with certificates stored in the
#   vault. Each certificate's current version must be younger than the rotation interval for
#   sp-certificate credentials (90 days by the standard).
# custom:
#   id: VP-ROT-001
#   severity: high
#   control: secrets-management §4
#   requirements: [SM-2-a, SM-4-a]
#   metric: CertificateAgeDays
#   settings:
#     - thresholds.rotation_days.sp-certificate
#   remediation: |
#     Renew the certificate (new version in the vault), roll it out through the configuration
#     pipeline and record the rotation event with its correlation id. Set an AutoRenew lifetime
#     action so renewal happens before the interval ends.
#   references:
#     - "secrets-management §4: CertificateAgeDays <= 90"
package vaultproof.rules.rotation.certificate_age

import data.vaultproof.lib.rotation
import rego.v1

findings := rotation.age_findings("sp-certificate", "CertificateAgeDays")
