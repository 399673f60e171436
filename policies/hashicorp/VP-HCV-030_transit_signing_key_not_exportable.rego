# METADATA
# title: Vault transit signing keys are neither exportable nor backed up in plaintext
# description: |
#   A transit key that signs (its key type supports signing, or it is classified signing-key) must
#   keep its private key inside Vault, as VP-CRD-001 and VP-AZ-008 require of Key Vault keys:
#   `exportable` false (no `export/signing-key`) and `allow_plaintext_backup` false (no `backup/`
#   of the whole key ring in plaintext). Both flags are one-way in Vault, so a key that has them set
#   must be replaced. A transit key whose key facts (type, exportable) or backup flag were not read
#   yields error.
# custom:
#   id: VP-HCV-030
#   severity: high
#   control: secrets-management §2 (signing keys stay inside the HSM); HashiCorp Vault transit (peer)
#   requirements: [SM-2-f]
#   metric: TransitSigningKeyNonExportable
#   remediation: |
#     Create a new transit key without `exportable` and `allow_plaintext_backup`
#     (`vault write -f transit/keys/<name> type=ecdsa-p256`), move the signers to it, publish its
#     public key and delete the old key (`deletion_allowed=true`, then `vault delete`).
#   references:
#     - "Vault transit secrets engine: exportable and allow_plaintext_backup cannot be disabled once set"
#     - "Vault production hardening: minimise the exposure of key material"
#     - "Azure Policy: Keys should be backed by a hardware security module (HSM) (VP-AZ-008 counterpart)"
package vaultproof.rules.hashicorp.transit_signing_key_not_exportable

import data.vaultproof.lib
import data.vaultproof.lib.classification
import rego.v1

metric_name := "TransitSigningKeyNonExportable"

# Transit keys of this Vault (the only objects of kind key a HashiCorp Vault snapshot holds).
transit_keys := [o |
	v := input.vault
	v.provider == "hashicorp-vault"
	some o in v.objects
	o.kind == "key"
	o.enabled == true
]

signs(o) if "sign" in o.key.operations

signs(o) if classification.type_of(o) == "signing-key"

has_key_facts(o) if is_object(o.key)

backup_read(o) if is_boolean(object.get(o.key, "allow_plaintext_backup", null))

findings[out.resource.id] := out if {
	some o in transit_keys
	has_key_facts(o)
	signs(o)
	backup_read(o)
	exposed := [x | some x in ["exportable", "allow_plaintext_backup"]; o.key[x] == true]
	ok := count(exposed) == 0
	out := lib.finding(lib.status_bool(ok), lib.object_resource(input.vault, o), lib.metric(metric_name, ok, "==", true), message(o, exposed))
}

findings[out.resource.id] := out if {
	some o in transit_keys
	has_key_facts(o)
	signs(o)
	not backup_read(o)
	msg := concat("", ["transit signing key '", o.path, "': allow_plaintext_backup was not read"])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "==", true), msg)
}

# Without key facts it cannot be told whether the key signs: never a pass.
findings[out.resource.id] := out if {
	some o in transit_keys
	not has_key_facts(o)
	msg := concat("", ["key facts of transit key '", o.path, "' were not read (type, exportable)"])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "==", true), msg)
}

message(o, []) := concat("", ["transit signing key '", o.path, "' (", o.key.type, ") is not exportable and allows no plaintext backup"])

message(o, exposed) := concat("", ["transit signing key '", o.path, "' (", o.key.type, ") is ", concat(" and ", [text[x] | some x in exposed])]) if count(exposed) > 0

text := {"exportable": "exportable", "allow_plaintext_backup": "allows a plaintext backup"}
