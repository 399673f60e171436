# METADATA
# description: |
#   Access to the snapshot's event facts (input.events): whether a section's evidence is usable
#   (present, and every source feeding it read completely), why not, and the window it covers.
#   Event rules report error, never pass, when their evidence is not usable.
package vaultproof.lib.events

import rego.v1

# The section's facts, defined only when the evidence is usable.
section(name) := input.events[name] if {
	is_object(input.events[name])
	not incomplete_sources(name)
}

incomplete_sources(name) := ids if {
	ids := {s.id | some s in object.get(input.events, "sources", []); s.status != "complete"; name in s.sections}
	count(ids) > 0
}

# Why a section cannot be used.
# (`not is_object(x)` is undefined, not true, when x is undefined: test through helper rules.)
missing_reason(_) := "the snapshot carries no event facts" if not has_events

missing_reason(name) := concat("", ["the event facts carry no ", name, " section"]) if {
	has_events
	not has_section(name)
}

missing_reason(name) := concat("", ["event source(s) ", concat(", ", sort(incomplete_sources(name))), " could not be read completely"]) if {
	has_section(name)
	incomplete_sources(name)
}

has_events if is_object(input.events)

has_section(name) if is_object(input.events[name])

# The event window; without event facts, the last `event_window_days` up to now (so rules can still
# tell which objects would need evidence, and report error for them).
window := input.events.window if has_events

window := {"from": input.now - (data.config.thresholds.event_window_days * 86400), "to": input.now} if not has_events

in_window(t) if {
	t >= window.from
	t <= window.to
}

# Versions of object `o` created in the window that replaced an earlier version (its rotations in
# the window, as the snapshot shows them); empty when a version carries no creation time.
rotated_versions(o) := {k: ver.created |
	every v in o.versions {
		is_number(v.created)
	}
	first := min({v.created | some v in o.versions})
	some k, ver in o.versions
	ver.created > first
	in_window(ver.created)
}

# Message prefix of the process controls' rules (VP-PRC-*) when no record shows the control was
# carried out: an evidenced requirement with nothing on record is not evidenced, never passed.
no_evidence(why) := concat("", ["no evidence on record: ", why])

# Whether `t` falls in [from, from + hours].
within_hours(t, from, hours) if {
	t >= from
	t <= from + (hours * 3600)
}

# Whether record `r` carries every field in `keys` (null counts: a field the platform left empty).
# A process record missing a field it is judged on is damaged evidence: its rule reports error.
has_fields(r, keys) if {
	is_object(r)
	every k in keys {
		r[k] == r[k]
	}
}
