# METADATA
# title: Vault transit signing keys are rotated within the signing-key interval
# description: |
#   A transit key that signs (its key type supports signing, or it is classified signing-key) gets a
#   new key version at least every `rotation_days.signing-key` days (90 by default, the HSM
#   signing-key interval): the latest version's creation time (`keys.<latest_version>.creation_time`
#   of `GET <transit>/keys/<name>`) is judged, whether the key is classified or not, so an
#   unclassified signing key cannot escape the interval. An `auto_rotate_period` alone is not
#   evidence: the latest version's age is. A key whose key facts or latest version's creation time
#   were not read yields error.
# custom:
#   id: VP-HCV-031
#   severity: high
#   control: secrets-management §4 (signing keys rotated within 90 days); HashiCorp Vault transit (peer)
#   requirements: [SM-4-e]
#   metric: TransitSigningKeyAgeDays
#   settings:
#     - thresholds.rotation_days.signing-key
#   remediation: |
#     Rotate the key (`vault write -f transit/keys/<name>/rotate`), publish the new public key, and
#     set `auto_rotate_period` (`vault write transit/keys/<name>/config auto_rotate_period=2160h`) so
#     Vault rotates it within the interval.
#   references:
#     - "Vault transit secrets engine: key rotation and auto_rotate_period"
#     - "Vault production hardening: rotate keys regularly"
#     - "secrets-management §4: HSM signing keys rotated within 90 days (VP-ROT-004 counterpart)"
package vaultproof.rules.hashicorp.transit_signing_key_rotation_age

import data.vaultproof.lib
import data.vaultproof.lib.classification
import rego.v1

metric_name := "TransitSigningKeyAgeDays"

limit := data.config.thresholds.rotation_days["signing-key"]

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

latest_created(o) := t if {
	t := lib.last_rotated(o)
	is_number(t)
}

findings[out.resource.id] := out if {
	some o in transit_keys
	has_key_facts(o)
	signs(o)
	age := lib.days_between(latest_created(o), input.now)
	status := lib.status_le(age, limit)
	msg := concat("", ["transit signing key '", o.path, "' version ", o.current_version, " is ", lib.num_str(age), " day(s) old (limit ", lib.num_str(limit), ")"])
	out := lib.finding(status, lib.object_resource(input.vault, o), lib.metric(metric_name, age, "<=", limit), msg)
}

findings[out.resource.id] := out if {
	some o in transit_keys
	has_key_facts(o)
	signs(o)
	not latest_created(o)
	msg := concat("", ["transit signing key '", o.path, "': the latest version's creation time was not read"])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "<=", limit), msg)
}

# Without key facts it cannot be told whether the key signs: never a pass.
findings[out.resource.id] := out if {
	some o in transit_keys
	not has_key_facts(o)
	msg := concat("", ["key facts of transit key '", o.path, "' were not read (type, operations)"])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "<=", limit), msg)
}
