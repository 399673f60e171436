# METADATA
# description: |
#   Credential-type classification from config rules (data.config.classification): an explicit
#   `credential-type` tag wins; otherwise the first rule whose conditions (kind, path glob, tags,
#   content-type glob) all match decides. No match means unclassified.
package vaultproof.lib.classification

import rego.v1

known_types := {
	"sp-certificate", "api-token", "signing-key", "siem-secret", "admin-key",
	"scanner-token", "publish-credential", "generic",
}

# Credential type of an object, undefined when it cannot be determined. The objects of the vault
# under evaluation are classified once per evaluation (a rule is cached; a function call is not,
# and the WASM target would otherwise re-run every classification rule for every rule asking).
type_of(o) := vault_types[o.id] if input.vault.objects[o.id] == o

type_of(o) := classify(o) if not input.vault.objects[o.id] == o

vault_types[id] := classify(o) if some id, o in input.vault.objects

# Subsystem (subsystem_of) and rotation interval (rotation_days of its type and subsystem) of each
# object of the vault under evaluation, by object id, computed once per evaluation: subsystem_of
# splits the path on every call, and several rules ask for the same object.
vault_subsystems[id] := subsystem_of(input.vault, o) if some id, o in input.vault.objects

vault_rotation_days[id] := rotation_days(vault_types[id], vault_subsystems[id]) if some id, _ in input.vault.objects

classify(o) := t if {
	t := o.tags["credential-type"]
	known_types[t]
}

classify(o) := data.config.classification[first_rule_index(o)].type if {
	not known_types[object.get(o.tags, "credential-type", "")]
}

# The rules are tried in groups of eight, a later group only when no rule of the earlier ones
# matched: the first match is the same, and most objects are decided without globbing their path
# against every rule.
first_rule_index(o) := i if {
	i := first_match(o, 0, 8)
} else := i if {
	i := first_match(o, 8, 16)
} else := i if {
	i := first_match(o, 16, 24)
} else := i if {
	i := first_match(o, 24, count(data.config.classification))
}

first_match(o, from, to) := min(matched) if {
	matched := {i | some i, r in data.config.classification; i >= from; i < to; rule_matches(r.match, o)}
	count(matched) > 0
}

rule_matches(m, o) if {
	kind_matches(m, o)
	path_matches(m, o)
	tags_match(m, o)
	content_type_matches(m, o)
}

kind_matches(m, _) if not m.kind

kind_matches(m, o) if m.kind == o.kind

path_matches(m, _) if not m.path

path_matches(m, o) if glob.match(m.path, ["/"], o.path)

tags_match(m, _) if not m.tag

tags_match(m, o) if {
	m.tag
	every k, want in m.tag {
		tag_value_matches(want, object.get(o.tags, k, null))
	}
}

tag_value_matches("*", got) if got != null

tag_value_matches(want, got) if {
	want != "*"
	want == got
}

content_type_matches(m, _) if not m.content_type

content_type_matches(m, o) if {
	o.content_type != null
	glob.match(m.content_type, [], o.content_type)
}

# Threshold for a credential type, with a per-subsystem override when the config has one.
rotation_days(t, subsystem) := d if {
	d := data.config.thresholds.subsystems[subsystem].rotation_days[t]
}

rotation_days(t, subsystem) := data.config.thresholds.rotation_days[t] if {
	not data.config.thresholds.subsystems[subsystem].rotation_days[t]
}

# Subsystem an object belongs to: its `subsystem` tag, else the standard's path layout
# ([<mount>/]project/<subsystem>/..., project/connectors/<name>/...), else its vault's subsystem.
subsystem_of(_, o) := o.tags.subsystem

subsystem_of(_, o) := s if {
	not o.tags.subsystem
	s := path_subsystem(o.path)
}

subsystem_of(v, o) := object.get(v, "subsystem", "") if {
	not o.tags.subsystem
	not path_subsystem(o.path)
}

path_subsystem(p) := parts_subsystem(project_parts(p))

# (The path is split once per call: each clause splitting it again cost four splits per lookup.)
parts_subsystem(parts) := concat("/", ["connectors", parts[2]]) if {
	parts[1] == "connectors"
	count(parts) > 3
}

parts_subsystem(parts) := parts[1] if {
	parts[1] != "connectors"
	count(parts) > 2
}

# The path's segments from `project` on; a leading mount segment (HashiCorp `secret/project/...`)
# is skipped.
project_parts(p) := from_project(split(p, "/"))

from_project(parts) := parts if parts[0] == "project"

from_project(parts) := array.slice(parts, 1, count(parts)) if {
	parts[0] != "project"
	parts[1] == "project"
}
