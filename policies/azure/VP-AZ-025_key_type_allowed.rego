# METADATA
# title: Keys are of an allowed cryptographic type
# description: |
#   Keys must be of a type in `allowed_key_types` (RSA, RSA-HSM, EC, EC-HSM by default, the Azure
#   built-in's default): a symmetric `oct`/`oct-HSM` key (Premium vaults, Managed HSM) falls outside
#   the key-size and curve rules and needs a deliberate decision. Judged on every enabled Azure key;
#   a key whose type was not collected yields error. Certificate keys: VP-AZ-018.
# custom:
#   id: VP-AZ-025
#   severity: medium
#   control: Azure Policy Key Vault built-ins (peer)
#   requirements: [SM-2-f]
#   metric: KeyTypeAllowed
#   settings:
#     - thresholds.allowed_key_types
#   remediation: |
#     Replace the key with one of an allowed type and move consumers to it; where symmetric keys are
#     intended, add oct-HSM to `allowed_key_types` with an approved deviation.
#   references:
#     - "Azure Policy: Keys should be the specified cryptographic type RSA or EC"
package vaultproof.rules.azure.key_type_allowed

import data.vaultproof.lib
import rego.v1

metric_name := "KeyTypeAllowed"

allowed_types := data.config.thresholds.allowed_key_types

allowed := concat(",", allowed_types)

# An array: each object appears once, and a set would hash every whole object.
keys := [o |
	v := input.vault
	v.provider == "azure-keyvault"
	some o in v.objects
	o.kind == "key"
	o.enabled == true
]

findings[out.resource.id] := out if {
	some o in keys
	is_string(o.key.type)
	ok := o.key.type in allowed_types
	status := lib.status_bool(ok)
	msg := concat("", ["key '", o.path, "' is of type ", o.key.type])
	out := lib.finding(status, lib.object_resource(input.vault, o), lib.metric(metric_name, o.key.type, "==", allowed), msg)
}

findings[out.resource.id] := out if {
	some o in keys
	not type_known(o)
	msg := concat("", ["the type of key '", o.path, "' could not be read"])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "==", allowed), msg)
}

type_known(o) if is_string(o.key.type)
