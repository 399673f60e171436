# METADATA
# title: PKI CA certificates keep enough remaining validity
# description: |
#   An expiring CA silently breaks every certificate it issued. Every CA certificate of a Vault PKI
#   mount must have at least `pki_ca_min_remaining_days` of validity left, so rotation to a new
#   issuer can be planned and rolled out.
# custom:
#   id: VP-HCV-006
#   severity: high
#   control: HashiCorp Vault PKI guidance (peer)
#   requirements: []
#   beyond_standard: true
#   metric: PkiCaRemainingValidityDays
#   settings:
#     - thresholds.pki_ca_min_remaining_days
#   remediation: |
#     Generate the next issuer (`vault write <pki>/root/rotate/internal` or a new intermediate CSR),
#     publish it to the trust stores, and set it as default issuer before the old one expires.
#   references:
#     - "HashiCorp Vault PKI: CA rotation primitives (multiple issuers)"
package vaultproof.rules.hashicorp.pki_ca_validity

import data.vaultproof.lib
import rego.v1

metric_name := "PkiCaRemainingValidityDays"

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "hashicorp-vault"
	some c in v.hashicorp.pki
	c.is_ca == true
	limit := data.config.thresholds.pki_ca_min_remaining_days
	left := lib.days_until(c.not_after, input.now)
	status := lib.status_le(limit, left)
	msg := concat("", ["CA ", c.serial, " on ", c.mount, " has ", lib.num_str(left), " days of validity left"])
	out := lib.finding(status, pki_resource(c), lib.metric(metric_name, left, ">=", limit), msg)
}

pki_resource(c) := {"provider": "hashicorp-vault", "vault": input.vault.name, "type": "certificate", "id": c.id, "path": concat("", [c.mount, "cert/", c.serial])}
