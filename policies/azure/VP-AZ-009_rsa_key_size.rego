# METADATA
# title: RSA keys are at least 2048 bits
# description: |
#   RSA keys shorter than `min_rsa_key_bits` (2048 by NIST SP 800-131A and the Azure built-in
#   default) no longer give adequate strength. Judged on every enabled Azure RSA key; a key whose
#   size was not collected yields error.
# custom:
#   id: VP-AZ-009
#   severity: high
#   control: Azure Policy Key Vault built-ins (peer)
#   requirements: [SM-2-f]
#   metric: RsaKeySizeBits
#   settings:
#     - thresholds.min_rsa_key_bits
#   remediation: |
#     Create a new key of at least 2048 bits (3072 or 4096 for signing keys), move consumers to it
#     and disable the short key.
#   references:
#     - "Azure Policy: Keys using RSA cryptography should have a specified minimum key size"
package vaultproof.rules.azure.rsa_key_size

import data.vaultproof.lib
import rego.v1

metric_name := "RsaKeySizeBits"

limit := data.config.thresholds.min_rsa_key_bits

# An array: each object appears once, and a set would hash every whole object.
rsa_keys := [o |
	v := input.vault
	v.provider == "azure-keyvault"
	some o in v.objects
	o.kind == "key"
	o.enabled == true
	startswith(upper(o.key.type), "RSA")
]

findings[out.resource.id] := out if {
	some o in rsa_keys
	is_number(o.key.size)
	status := lib.status_le(limit, o.key.size)
	msg := concat("", ["RSA key '", o.path, "' has ", lib.num_str(o.key.size), " bits"])
	out := lib.finding(status, lib.object_resource(input.vault, o), lib.metric(metric_name, o.key.size, ">=", limit), msg)
}

findings[out.resource.id] := out if {
	some o in rsa_keys
	not size_known(o)
	msg := concat("", ["the size of RSA key '", o.path, "' could not be read"])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, ">=", limit), msg)
}

size_known(o) if is_number(o.key.size)

# A key whose type could not be read may be an RSA key: its size is unjudged, not fine (issue 15,
# property 1: a key without its key facts had no finding at all).
findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "azure-keyvault"
	some o in v.objects
	o.kind == "key"
	o.enabled == true
	not type_known(o)
	msg := concat("", ["the type of key '", o.path, "' could not be read: whether it is an RSA key, and its size, is unknown"])
	out := lib.finding("error", lib.object_resource(v, o), lib.metric(metric_name, null, ">=", limit), msg)
}

type_known(o) if is_string(o.key.type)
