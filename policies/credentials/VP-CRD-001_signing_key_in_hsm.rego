# METADATA
# title: Signing keys are HSM-backed and not exportable
# description: |
#   Code-signing keys (Authenticode, Developer ID, APT GPG) live inside an HSM (FIPS 140-2 Level 2
#   or better): an HSM key type (RSA-HSM, EC-HSM, or any key of a Managed HSM) that is not
#   exportable. A code-signing certificate (a Key Vault certificate classified signing-key) is
#   judged by its backing key the same way. A signing key stored as a secret (a key file in the
#   vault) fails: its private key leaves the HSM whenever it is used. A key or certificate whose key
#   facts were not collected yields error.
# custom:
#   id: VP-CRD-001
#   severity: critical
#   control: secrets-management §2
#   requirements: [SM-2-f]
#   metric: SigningKeyInHsm
#   remediation: |
#     Create the signing key inside the HSM (`az keyvault key create --kty RSA-HSM` in a Premium
#     vault or a Managed HSM) without an exportable release policy, re-issue the signing
#     certificate, and delete the exported key material.
#   references:
#     - "secrets-management §2: signing keys stored inside HSMs, FIPS 140-2 Level 2"
#     - "Azure Policy: Keys should be backed by a hardware security module (HSM)"
package vaultproof.rules.credentials.signing_key_in_hsm

import data.vaultproof.lib
import data.vaultproof.lib.classification
import rego.v1

metric_name := "SigningKeyInHsm"

# An array: each object appears once, and a set would hash every whole object.
signing_keys := [o |
	some o in input.vault.objects
	o.enabled == true
	classification.type_of(o) == "signing-key"
]

# Kinds whose private key is a vault key (a certificate's backing key has the certificate's name).
key_kinds := {"key", "certificate"}

findings[out.resource.id] := out if {
	some o in signing_keys
	key_kinds[o.kind]
	o.key
	hsm := hsm_backed(input.vault, o.key)
	ok := [hsm, o.key.exportable] == [true, false]
	status := lib.status_bool(ok)
	msg := concat("", [kind_text(o.kind), " '", o.path, "' (", o.key.type, ") is ", hsm_text(hsm), " and ", export_text(o.key.exportable)])
	out := lib.finding(status, lib.object_resource(input.vault, o), lib.metric(metric_name, ok, "==", true), msg)
}

findings[out.resource.id] := out if {
	some o in signing_keys
	not key_kinds[o.kind]
	msg := concat("", ["signing key '", o.path, "' is stored as a ", o.kind, ", outside any HSM"])
	out := lib.finding("fail", lib.object_resource(input.vault, o), lib.metric(metric_name, false, "==", true), msg)
}

findings[out.resource.id] := out if {
	some o in signing_keys
	key_kinds[o.kind]
	not o.key
	msg := concat("", ["key facts of ", kind_text(o.kind), " '", o.path, "' were not collected"])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "==", true), msg)
}

hsm_backed(v, _) := true if v.kind == "managed-hsm"

hsm_backed(v, k) := k.hsm if object.get(v, "kind", "key-vault") != "managed-hsm"

kind_text("key") := "signing key"

kind_text("certificate") := "signing certificate"

hsm_text(true) := "HSM-backed"

hsm_text(false) := "software-protected"

export_text(true) := "exportable"

export_text(false) := "not exportable"
