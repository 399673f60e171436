# METADATA
# title: Vault root and admin keys are rotated within 30 days
# description: |
#   Root and administrative credentials kept in the vault (break-glass, admin keys) must be rotated
#   at least every 30 days, through the break-glass audit procedure.
# custom:
#   id: VP-ROT-006
#   severity: critical
#   control: secrets-management §4
#   metric: AdminKeyAgeDays
#   remediation: |
#     Rotate the admin/root credential through the break-glass procedure (dual approval, audit
#     event with correlation id) and store it as a new version.
#   references:
#     - "secrets-management §4: Vault root/admin keys 30 days"
package vaultproof.rules.rotation.admin_key_age

import data.vaultproof.lib.rotation
import rego.v1

findings := rotation.age_findings("admin-key", "AdminKeyAgeDays")
