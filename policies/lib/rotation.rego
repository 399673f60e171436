# METADATA
# description: |
#   Rotation age of credentials by type: age = days since the current version was created, compared
#   with the rotation interval of the object's credential type (per-subsystem overrides apply).
#   Disabled objects are not usable credentials and are not judged for age. An object whose current
#   version has no creation time (HashiCorp KV v1 keeps none) has no age: its facts say error.
package vaultproof.lib.rotation

import data.vaultproof.lib
import data.vaultproof.lib.classification
import rego.v1

# Facts about every enabled object with a rotation interval in the vault under evaluation, by object
# id, computed once per evaluation (every age rule reads them: per-type scans of the vault repeated
# the classification lookups, and a set of facts hashed each whole object).
aged_facts[id] := fact if {
	v := input.vault
	some id, o in v.objects
	o.enabled == true
	t := classification.vault_types[id]
	threshold := classification.vault_rotation_days[id]
	threshold != null
	age := age_of(o)
	# Only what object_resource reads: a fact holding the whole vault would be copied per object.
	fact := {
		"type": t,
		"vault": {"provider": v.provider, "name": v.name},
		"object": o,
		"age": age,
		"threshold": threshold,
		"status": age_status(age, threshold),
	}
}

age_of(o) := lib.days_between(lib.last_rotated(o), input.now) if rotation_time_known(o)

age_of(o) := null if not rotation_time_known(o)

rotation_time_known(o) if is_number(lib.last_rotated(o))

age_status(null, _) := "error"

age_status(age, threshold) := lib.status_le(age, threshold) if age != null

# Facts about every enabled object of credential type `t` in the vault under evaluation.
aged_objects(t) := [fact | some fact in aged_facts; fact.type == t]

# Age findings with a numeric metric `metric_name` (e.g. CertificateAgeDays <= 90).
age_findings(t, metric_name) := {f.resource.id: f |
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
]) if fact.age != null

age_message(t, fact) := concat("", [
	t, " '", fact.object.path, "' has no creation time for its current version (the store keeps none): ",
	"its age cannot be compared with the ", lib.num_str(fact.threshold), "-day interval",
]) if fact.age == null
