# METADATA
# title: Every credential has a known credential type
# description: |
#   Rotation intervals depend on the credential type. A secret, key or certificate whose type cannot
#   be determined from its path, tags, content type or kind would escape every rotation rule, so it
#   is a finding rather than a silent pass.
# custom:
#   id: VP-ROT-010
#   severity: medium
#   control: secrets-management §2, §4
#   requirements: [SM-4-a, SM-4-b, SM-4-e, SM-4-g, SM-4-h]
#   metric: SecretClassified
#   remediation: |
#     Store the secret under a standard path (project/<subsystem>/...), tag it with
#     `credential-type` (sp-certificate, api-token, signing-key, siem-secret, admin-key,
#     scanner-token, publish-credential, generic), or add a classification rule to vaultproof.yaml.
#   references:
#     - "secrets-management §2: credential and key types"
package vaultproof.rules.rotation.secret_classified

import data.vaultproof.lib
import data.vaultproof.lib.classification
import rego.v1

findings[out.resource.id] := out if {
	v := input.vault
	some o in v.objects
	t := classification.type_of(o)
	msg := concat("", ["classified as ", t])
	out := lib.finding("pass", lib.object_resource(v, o), lib.metric("SecretClassified", true, "==", true), msg)
}

findings[out.resource.id] := out if {
	v := input.vault
	some o in v.objects
	not classification.type_of(o)
	msg := concat("", [o.kind, " '", o.path, "' matches no classification rule and has no credential-type tag"])
	out := lib.finding("fail", lib.object_resource(v, o), lib.metric("SecretClassified", false, "==", true), msg)
}
