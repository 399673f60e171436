# METADATA
# description: |
#   Rotation age of credentials by type: age = days since the current version was created, compared
#   with the rotation interval of the object's credential type (per-subsystem overrides apply).
#   Disabled objects are not usable credentials and are not judged for age.
package vaultproof.lib.rotation

import data.vaultproof.lib
import data.vaultproof.lib.classification
import rego.v1

# Facts about every enabled object of credential type `t` in the vault under evaluation.
aged_objects(t) := {fact |
	v := input.vault
	some o in v.objects
	o.enabled == true
	classification.type_of(o) == t
	threshold := classification.rotation_days(t, classification.subsystem_of(v, o))
	threshold != null
	age := lib.days_between(lib.last_rotated(o), input.now)
	# Only what object_resource reads: a set element holding the whole vault would be hashed
	# whole for every object (quadratic per vault in the WASM target, which caches no hashes).
	fact := {
		"vault": {"provider": v.provider, "name": v.name},
		"object": o,
		"age": age,
		"threshold": threshold,
		"status": lib.status_le(age, threshold),
	}
}

# Age findings with a numeric metric `metric_name` (e.g. CertificateAgeDays <= 90).
age_findings(t, metric_name) := {f |
	some fact in aged_objects(t)
	f := lib.finding(
		fact.status,
		lib.object_resource(fact.vault, fact.object),
		lib.metric(metric_name, fact.age, "<=", fact.threshold),
		age_message(t, fact),
	)
}

age_message(t, fact) := concat("", [
	t, " '", fact.object.path, "' was last rotated ", lib.num_str(fact.age),
	" days ago; the interval for ", t, " is ", lib.num_str(fact.threshold), " days",
])
