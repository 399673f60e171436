# METADATA
# description: |
#   The single entrypoint compiled to WASM: the findings of every rule package under
#   vaultproof.rules, grouped by the package they came from (the engine joins the catalog by package,
#   so a rule's id, title and severity live only in its METADATA block), with the facts a vault
#   shard hands to the fleet pass.
package vaultproof.main

import data.vaultproof.lib.fleet_facts
import rego.v1

# What the engine reads of one evaluation: the findings, and (from vault shards) the facts the
# fleet pass needs from the vault's objects (lib.fleet_facts).
result := {"findings": findings, "grant_types": fleet_facts.grant_types}

# One group per rule package: {"package": "vaultproof.rules.<family>.<rule>", "findings": [tuple]}.
#
# Each rule's `findings` is an object keyed by resource id (one finding per resource by
# construction; the WASM target hashes a set element whole, ≈5 µs a finding, a string key ≈0.1 µs).
# Findings leave WASM as positional tuples (see `tuple`), not objects: serialising the result out of
# WASM cost as much as evaluating the rules, and the object keys were a third of its bytes
# (measured at 10k objects: 926 → 762 ms for the whole entrypoint). The engine rebuilds the objects
# (src/engine/policy.ts, `FINDING_TUPLE`).
findings := [{"package": concat(".", ["vaultproof.rules", family, rule]), "findings": [tuple(f) | some f in fs]} |
	some family, rule
	fs := data.vaultproof.rules[family][rule].findings
]

# The wire order of a finding; src/engine/policy.ts reads the same positions.
tuple(f) := [
	f.status,
	f.resource.provider, f.resource.vault, f.resource.type, f.resource.id, f.resource.path,
	f.metric.name, f.metric.value, f.metric.op, f.metric.threshold,
	f.message,
] if not unjudged(f)

# A pass resting on a scope that could not be read is not a pass (issue 15, property 2): it leaves
# as `error`, its value unknown, its message naming the scope and why it could not be read, for
# every rule alike. A fail stays a fail: what was seen fails.
tuple(f) := [
	"error",
	f.resource.provider, f.resource.vault, f.resource.type, f.resource.id, f.resource.path,
	f.metric.name, null, f.metric.op, f.metric.threshold,
	concat("", ["not judged: ", why, "; from what was read: ", f.message]),
] if why := unjudged(f)

# Why a passing finding cannot pass (src/engine/unreadable-scopes.ts): a vault shard carries the
# incomplete scopes of its vault as `unreadable`, the fleet input the resources resting on one as
# `not_judged` (keyed by resource id).
unjudged(f) := input.unreadable if {
	f.status == "pass"
	input.kind == "vault"
	is_string(input.unreadable)
}

unjudged(f) := input.not_judged[f.resource.id] if {
	f.status == "pass"
	input.kind == "fleet"
}
