# METADATA
# description: |
#   Shared helpers: day arithmetic on epoch seconds, number formatting without sprintf (whose JS and
#   Go implementations differ), resource descriptors and the finding constructor used by every rule.
package vaultproof.lib

import rego.v1

seconds_per_day := 86400

# Whole days elapsed between two epoch-second timestamps (floor; 0 when `to` is not after `from`).
days_between(from, to) := 0 if to <= from

days_between(from, to) := floor((to - from) / seconds_per_day) if to > from

# Decimal text of a number, identical under WASM and the Go evaluator: integers as they are,
# anything else rounded to one decimal.
num_str(x) := format_int(x, 10) if x == floor(x)

num_str(x) := concat("", [sign_prefix(x), format_int(whole, 10), ".", format_int(tenth, 10)]) if {
	x != floor(x)
	scaled := round(abs(x) * 10)
	whole := floor(scaled / 10)
	tenth := scaled - (whole * 10)
}

sign_prefix(x) := "-" if x < 0

sign_prefix(x) := "" if x >= 0

vault_resource(v) := {"provider": v.provider, "vault": v.name, "type": "vault", "id": v.id, "path": ""}

object_resource(v, o) := {"provider": v.provider, "vault": v.name, "type": o.kind, "id": o.id, "path": o.path}

# A finding as rules emit it; the engine joins id, title, severity and remediation from the catalog.
finding(status, resource, metric, message) := {
	"status": status,
	"resource": resource,
	"metric": metric,
	"message": message,
}

metric(name, value, op, threshold) := {"name": name, "value": value, "op": op, "threshold": threshold}

# Status of a comparison `value op threshold`.
status_le(value, threshold) := "pass" if value <= threshold

status_le(value, threshold) := "fail" if value > threshold

# The current version of an object, falling back to the object's own dates.
current_version(o) := o.versions[o.current_version]

current_version(o) := {"created": o.created, "updated": o.updated, "expires": o.expires, "not_before": o.not_before, "enabled": o.enabled} if {
	not o.versions[o.current_version]
}

# Epoch seconds of the last rotation: creation of the current version.
last_rotated(o) := current_version(o).created

# Status of a boolean compliance condition.
status_bool(true) := "pass"

status_bool(false) := "fail"

# Whole days from now until `t` (negative once `t` has passed; floor).
days_until(t, now) := floor((t - now) / seconds_per_day)
