# METADATA
# description: |
#   Access facts: which objects a grant covers (scope glob, `except` globs, object kinds), which
#   capabilities count as data access or as write/manage, and who counts as a platform admin.
#   Grant scopes use Vault's glob syntax (`*` alone = everything, trailing `*` = prefix, `+` = one
#   path segment); Azure grants cover the whole vault (`*`).
package vaultproof.lib.access

import data.vaultproof.lib.classification
import rego.v1

write_capabilities := {"write", "delete", "purge", "manage-access"}

# Capabilities that use a credential (read its value, or use a key without reading it).
data_capabilities := {"read-value", "sign", "decrypt", "write", "delete", "purge"}

use_capabilities := {"read-value", "sign", "decrypt"}

writes(g) := {c | some c in g.capabilities; write_capabilities[c]}

uses(g) if {
	some c in g.capabilities
	use_capabilities[c]
}

touches_data(g) if {
	some c in g.capabilities
	data_capabilities[c]
}

covers(g, o) if {
	kind_covered(g, o.kind)
	scope_matches(g.scope, o.path)
	not excepted(g, o.path)
}

kind_covered(g, _) if not g.object_kinds

kind_covered(g, kind) if kind in g.object_kinds

excepted(g, path) if {
	some e in object.get(g, "except", [])
	scope_matches(e, path)
}

scope_matches("*", _)

scope_matches(scope, path) if {
	scope != "*"
	glob.match(as_glob(scope), ["/"], path)
}

# Vault glob -> OPA glob: `+` is one segment (`*` with `/` as delimiter), a trailing `*` is a prefix.
as_glob(scope) := concat("", [replace(trim_suffix(scope, "*"), "+", "*"), "**"]) if endswith(scope, "*")

as_glob(scope) := replace(scope, "+", "*") if not endswith(scope, "*")

admin_subsystem(s) if s in data.config.thresholds.admin_subsystems

# A platform admin: its own subsystem, or a group it belongs to, is an admin subsystem.
is_admin(p, _) if admin_subsystem(p.subsystem)

is_admin(p, principals) if {
	some gid in p.member_of
	admin_subsystem(principals[gid].subsystem)
}

grant_resource(v, g) := {"provider": v.provider, "vault": v.name, "type": "grant", "id": g.id, "path": g.scope}

principal_resource(p) := {"provider": p.provider, "vault": "", "type": "principal", "id": p.id, "path": p.display_name}

# is_admin as a boolean.
admin_flag(p, principals) := true if is_admin(p, principals)

admin_flag(p, principals) := false if not is_admin(p, principals)

# On the standard's break-glass (EmergencyAccess) path: the object's path, or a folder above it
# (`project/EmergencyAccess/db-password` lies in the `EmergencyAccess` folder), matches one of
# `break_glass_paths`.
break_glass_path(path) if {
	some pattern in data.config.thresholds.break_glass_paths
	glob.match(pattern, ["/"], path)
}

# Inside a folder the pattern matches: `<pattern>/**` (two globs per pattern, not one per folder).
break_glass_path(path) if {
	some pattern in data.config.thresholds.break_glass_paths
	glob.match(concat("", [pattern, "/**"]), ["/"], path)
}

# Capabilities that change a credential (write, delete, purge): what a grant can do to data outside
# its principal's subsystem (VP-REV-001). Access management is not one of them.
data_write_capabilities := {"write", "delete", "purge"}

# The grant's data-write capabilities, in the grant's own order (messages list them as granted).
data_writes(g) := [c | some c in g.capabilities; data_write_capabilities[c]]

# The subsystem a grant scope is confined to (`project/<subsystem>/...`, `project/connectors/<name>/...`
# after an optional mount segment, no glob in the subsystem segment); undefined when the scope spans
# subsystems (`*`, `secret/*`, `secret/project/*`).
scope_subsystem(scope) := s if {
	s := classification.path_subsystem(scope)
	not s in {"", "connectors/"}
	not regex.match(`[*+]`, s)
}

# A wildcard grant: a glob (`*`, `+`) at or above the subsystem level.
wildcard_scope(scope) if {
	regex.match(`[*+]`, scope)
	not scope_subsystem(scope)
}

# Groups a principal belongs to, transitively (member_of edges; cycles cut, the principal itself excluded).
ancestors(p, principals) := graph.reachable({id: object.get(q, "member_of", []) | some id, q in principals}, object.get(p, "member_of", [])) - {p.id}

# The subsystem a grant is judged against: its principal's, else (a grant inherited from a group)
# that group's; undefined when neither names one, "" when the principal's is empty.
judged_subsystem(p, _, _) := p.subsystem if is_string(p.subsystem)

judged_subsystem(p, g, principals) := s if {
	not subsystem_named(p)
	s := principals[g.inherited_from].subsystem
	is_string(s)
}

subsystem_named(p) if is_string(p.subsystem)

# Fleet pass: the vaults each principal holds a grant of its own on.
grant_vaults[pid] contains g.vault if {
	input.kind == "fleet"
	some g in input.grants
	pid := g.principal
}

# Fleet pass: the principals of the snapshot holding access, with the vaults they hold it on: their
# own grants', and, in Azure, those of the groups they belong to (a group's role assignments and
# access policies reach its members; Vault's collector already gave each entity its groups' policies).
held_vaults[pid] := vaults if {
	input.kind == "fleet"
	some pid, p in input.principals
	vaults := object.get(grant_vaults, pid, set()) | group_vaults(p)
	count(vaults) > 0
}

group_vaults(p) := {v | some gid in ancestors(p, input.principals); some v in object.get(grant_vaults, gid, set())} if p.provider == "azure-keyvault"

group_vaults(p) := set() if p.provider != "azure-keyvault"
