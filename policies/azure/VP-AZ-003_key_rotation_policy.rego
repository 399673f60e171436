# METADATA
# title: Keys have a rotation policy that rotates them within the interval
# description: |
#   Every Azure Key Vault key carries a rotation policy with a `Rotate` lifetime action that fires
#   within the rotation interval of its credential type (signing keys 90 days), or within
#   `key_rotation_policy_max_days` for types without an interval. The effective interval is the
#   action's time after creation, or the policy's expiry minus the action's time before expiry. No
#   policy, or no Rotate action, fails; a policy that could not be read yields error.
# custom:
#   id: VP-AZ-003
#   severity: medium
#   control: CIS Microsoft Azure Foundations 8.8 (peer)
#   requirements: [SM-4-e]
#   metric: KeyRotationPolicyDays
#   settings:
#     - thresholds.key_rotation_policy_max_days
#     - thresholds.rotation_days
#   remediation: |
#     `az keyvault key rotation-policy update --vault-name <vault> --name <key> --value policy.json`
#     with a `Rotate` action at `timeAfterCreate` P85D (or `timeBeforeExpiry` with an expiry), and a
#     `Notify` action ahead of it.
#   references:
#     - "Prowler: keyvault_key_rotation_enabled"
#     - "Azure Policy: Keys should have a rotation policy ensuring that their rotation is scheduled within the specified number of days after creation"
#     - "CIS Microsoft Azure Foundations 8.8: automatic key rotation is enabled"
package vaultproof.rules.azure.key_rotation_policy

import data.vaultproof.lib
import data.vaultproof.lib.classification
import rego.v1

metric_name := "KeyRotationPolicyDays"

# An array: each object appears once, and a set would hash every whole object.
keys := [o |
	v := input.vault
	v.provider == "azure-keyvault"
	some o in v.objects
	o.kind == "key"
	o.enabled == true
]

limit(o) := d if {
	d := classification.vault_rotation_days[o.id]
	is_number(d)
}

limit(o) := data.config.thresholds.key_rotation_policy_max_days if not typed_limit(o)

typed_limit(o) if is_number(classification.vault_rotation_days[o.id])

findings[out.resource.id] := out if {
	some o in keys
	p := o.rotation_policy
	p != null
	days := rotate_days(p)
	status := lib.status_le(days, limit(o))
	msg := concat("", ["key '", o.path, "' is rotated by policy every ", lib.num_str(days), " days"])
	out := lib.finding(status, lib.object_resource(input.vault, o), lib.metric(metric_name, days, "<=", limit(o)), msg)
}

findings[out.resource.id] := out if {
	some o in keys
	o.rotation_policy != null
	not rotate_days(o.rotation_policy)
	msg := concat("", ["the rotation policy of key '", o.path, "' has no Rotate action"])
	out := lib.finding("fail", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "<=", limit(o)), msg)
}

findings[out.resource.id] := out if {
	some o in keys
	o.rotation_policy == null
	msg := concat("", ["key '", o.path, "' has no rotation policy"])
	out := lib.finding("fail", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "<=", limit(o)), msg)
}

findings[out.resource.id] := out if {
	some o in keys
	not has_policy_field(o)
	msg := concat("", ["the rotation policy of key '", o.path, "' could not be read"])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "<=", limit(o)), msg)
}

has_policy_field(o) if o.rotation_policy == null

has_policy_field(o) if is_object(o.rotation_policy)

rotate_days(p) := p.rotate_after_days if is_number(p.rotate_after_days)

rotate_days(p) := p.expiry_days - p.rotate_before_expiry_days if {
	not after_set(p)
	is_number(p.rotate_before_expiry_days)
	is_number(p.expiry_days)
}

after_set(p) if is_number(p.rotate_after_days)
