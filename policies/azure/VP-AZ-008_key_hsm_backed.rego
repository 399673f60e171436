# METADATA
# title: Keys are backed by a hardware security module
# description: |
#   Keys whose credential type is listed in `hsm_required_key_types` (glob patterns; by default
#   every key) must be HSM-protected: an -HSM key type in a Premium vault, or any key of a Managed
#   HSM. Code-signing certificates (certificates classified signing-key) are judged by their
#   backing key too. Signing keys are also held to non-exportability by VP-CRD-001. A key whose key
#   facts were not collected yields error.
# custom:
#   id: VP-AZ-008
#   severity: medium
#   control: Azure Policy Key Vault built-ins (peer)
#   requirements: [SM-2-f]
#   metric: KeyHsmBacked
#   settings:
#     - thresholds.hsm_required_key_types
#   remediation: |
#     Create a new HSM-backed key (`--kty RSA-HSM` or `EC-HSM` in a Premium vault, or a Managed HSM),
#     move its consumers to it and disable the software key.
#   references:
#     - "Azure Policy: Keys should be backed by a hardware security module (HSM)"
package vaultproof.rules.azure.key_hsm_backed

import data.vaultproof.lib
import data.vaultproof.lib.classification
import rego.v1

metric_name := "KeyHsmBacked"

type_name(o) := classification.type_of(o)

type_name(o) := "unclassified" if not classification.type_of(o)

required(o) if {
	some pattern in data.config.thresholds.hsm_required_key_types
	glob.match(pattern, [], type_name(o))
}

# An array: each object appears once, and a set would hash every whole object.
keys := [o |
	v := input.vault
	v.provider == "azure-keyvault"
	some o in v.objects
	hsm_judged(o)
	o.enabled == true
	required(o)
]

hsm_judged(o) if o.kind == "key"

# A certificate's private key is a vault key: a signing certificate's must be in the HSM too.
hsm_judged(o) if {
	o.kind == "certificate"
	classification.type_of(o) == "signing-key"
}

findings[out.resource.id] := out if {
	some o in keys
	hsm := hsm_backed(input.vault, o.key)
	status := lib.status_bool(hsm)
	msg := message(o, hsm)
	out := lib.finding(status, lib.object_resource(input.vault, o), lib.metric(metric_name, hsm, "==", true), msg)
}

findings[out.resource.id] := out if {
	some o in keys
	not o.key
	msg := concat("", ["key facts of '", o.path, "' were not collected"])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "==", true), msg)
}

hsm_backed(v, _) := true if v.kind == "managed-hsm"

hsm_backed(v, k) := k.hsm if object.get(v, "kind", "key-vault") != "managed-hsm"

message(o, true) := concat("", [type_name(o), " ", o.kind, " '", o.path, "' is HSM-backed (", o.key.type, ")"])

message(o, false) := concat("", [type_name(o), " ", o.kind, " '", o.path, "' is software-protected (", o.key.type, ")"])
