# METADATA
# title: Certificate RSA keys are at least 2048 bits
# description: |
#   The key a certificate's issuance policy creates is judged like a Key Vault key (VP-AZ-009, which
#   judges keys only): an RSA certificate key shorter than `min_rsa_key_bits` (2048 by NIST SP
#   800-131A and the Azure built-in default) fails. Judged on every enabled Azure certificate; a
#   certificate whose key type or size was not collected (no readable issuance policy) yields error.
# custom:
#   id: VP-AZ-014
#   severity: high
#   control: Azure Policy Key Vault built-ins (peer)
#   requirements: [SM-2-a]
#   metric: CertificateRsaKeySizeBits
#   settings:
#     - thresholds.min_rsa_key_bits
#   remediation: |
#     Set the certificate policy's key size to at least 2048 (`keyProperties.keySize`, 3072 or 4096
#     for signing certificates) and issue a new version: `az keyvault certificate set-attributes
#     --policy @policy.json`, then renew.
#   references:
#     - "Azure Policy: Certificates using RSA cryptography should have the specified minimum key size"
package vaultproof.rules.azure.certificate_rsa_key_size

import data.vaultproof.lib
import rego.v1

metric_name := "CertificateRsaKeySizeBits"

limit := data.config.thresholds.min_rsa_key_bits

# An array: each object appears once, and a set would hash every whole object.
certificates := [o |
	v := input.vault
	v.provider == "azure-keyvault"
	some o in v.objects
	o.kind == "certificate"
	o.enabled == true
]

rsa_certificates := [o |
	some o in certificates
	startswith(upper(o.key.type), "RSA")
]

findings[out.resource.id] := out if {
	some o in rsa_certificates
	is_number(o.key.size)
	status := lib.status_le(limit, o.key.size)
	msg := concat("", ["the RSA key of certificate '", o.path, "' has ", lib.num_str(o.key.size), " bits"])
	out := lib.finding(status, lib.object_resource(input.vault, o), lib.metric(metric_name, o.key.size, ">=", limit), msg)
}

findings[out.resource.id] := out if {
	some o in rsa_certificates
	not size_known(o)
	msg := concat("", ["the RSA key size of certificate '", o.path, "' could not be read"])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, ">=", limit), msg)
}

size_known(o) if is_number(o.key.size)

# A certificate whose key type could not be read (its issuance policy was not read) may hold an RSA key.
findings[out.resource.id] := out if {
	some o in certificates
	not type_known(o)
	msg := concat("", ["the key type of certificate '", o.path, "' could not be read: whether it holds an RSA key, and its size, is unknown"])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, ">=", limit), msg)
}

type_known(o) if is_string(o.key.type)
