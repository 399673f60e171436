# METADATA
# title: PKI leaf certificates in force are no older than 90 days
# description: |
#   Certificates issued by Vault PKI follow the same 90-day interval as service-principal
#   certificates: every unexpired leaf certificate must have been issued no more than
#   `pki_leaf_max_age_days` ago. Expired leaves are not in force and are not judged.
# custom:
#   id: VP-HCV-007
#   severity: medium
#   control: secrets-management §4 (CertificateAgeDays) applied to Vault PKI (peer)
#   requirements: [SM-4-a]
#   metric: PkiCertificateAgeDays
#   settings:
#     - thresholds.pki_leaf_max_age_days
#   remediation: |
#     Re-issue the certificate from the PKI role with a TTL of at most 90 days (`max_ttl` on the
#     role), deploy it and revoke the old serial; prefer short TTLs renewed by Vault Agent.
#   references:
#     - "HashiCorp Vault PKI: short-lived certificates"
#     - "secrets-management §4: CertificateAgeDays <= 90"
package vaultproof.rules.hashicorp.pki_leaf_age

import data.vaultproof.lib
import data.vaultproof.rules.hashicorp.pki_ca_validity
import rego.v1

metric_name := "PkiCertificateAgeDays"

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "hashicorp-vault"
	some c in v.hashicorp.pki
	c.is_ca == false
	c.not_after > input.now
	limit := data.config.thresholds.pki_leaf_max_age_days
	age := lib.days_between(c.not_before, input.now)
	status := lib.status_le(age, limit)
	msg := concat("", ["certificate ", c.serial, " on ", c.mount, " was issued ", lib.num_str(age), " days ago"])
	out := lib.finding(status, pki_ca_validity.pki_resource(c), lib.metric(metric_name, age, "<=", limit), msg)
}
