# METADATA
# title: Control-plane and connector paths are reachable only by their own principals
# description: |
#   `project/control-plane/*` is for control-plane service principals only and each
#   `project/connectors/<name>/*` path for its own connector's principals. Every grant that reaches
#   credential data (read value, sign, decrypt, write, delete, purge) is judged against the objects
#   of the vault it covers: an object of the control-plane or of a connector subsystem (by tag, path
#   or the vault's subsystem) reached by a principal of another subsystem counts against it.
#   Platform admins (`admin_subsystems`) keep access for rotation and break-glass. A grant whose
#   principal is missing or has no subsystem while it reaches scoped objects yields error.
# custom:
#   id: VP-ACC-004
#   severity: high
#   control: secrets-management §1.4, §3
#   requirements: [SM-1.4-b, SM-3-e, SM-3-f]
#   metric: PathScopedAccess
#   settings:
#     - thresholds.admin_subsystems
#   remediation: |
#     Narrow the grant to the principal's own path (Vault policy path `<mount>/data/project/<subsystem>/*`,
#     or a dedicated Key Vault per subsystem), or move the secret under the subsystem that uses it.
#   references:
#     - "secrets-management §3: project/control-plane/* for Control Plane service principals only"
#     - "secrets-management §3: project/connectors/<name>/* with scoped service principals"
package vaultproof.rules.access.path_scoped_access

import data.vaultproof.lib
import data.vaultproof.lib.access
import data.vaultproof.lib.classification
import rego.v1

metric_name := "PathScopedAccess"

scoped("control-plane")

scoped(s) if startswith(s, "connectors/")

# Scoped objects of the vault, with their subsystem, computed once. An array: each object appears
# once, and a set would hash every whole object (versions included) for nothing.
scoped_objects := [[o, s] |
	v := input.vault
	some o in v.objects
	s := classification.vault_subsystems[o.id]
	scoped(s)
]

reached(g) := {[o.path, s] |
	some [o, s] in scoped_objects
	access.covers(g, o)
}

findings[f.resource.id] := f if {
	v := input.vault
	some g in input.grants
	access.touches_data(g)
	f := judge(v, g, input.principals[g.principal], reached(g))
}

findings[out.resource.id] := out if {
	v := input.vault
	some g in input.grants
	access.touches_data(g)
	not input.principals[g.principal]
	msg := concat("", ["grant on '", g.scope, "' names principal ", g.principal, ", which is not in the snapshot"])
	out := lib.finding("error", access.grant_resource(v, g), lib.metric(metric_name, null, "==", 0), msg)
}

judge(v, g, p, reach) := lib.finding(status, access.grant_resource(v, g), lib.metric(metric_name, count(outside), "==", 0), msg) if {
	known_subsystem(p, reach)
	outside := {path | some [path, s] in reach; not allowed(p, s)}
	status := lib.status_le(count(outside), 0)
	msg := message(p, g, outside)
}

judge(v, g, p, reach) := lib.finding("error", access.grant_resource(v, g), lib.metric(metric_name, null, "==", 0), msg) if {
	not known_subsystem(p, reach)
	msg := concat("", ["principal '", p.display_name, "' reaches ", lib.num_str(count(reach)), " scoped object(s) but has no subsystem to check them against"])
}

known_subsystem(p, _) if p.subsystem

known_subsystem(_, reach) if count(reach) == 0

known_subsystem(p, _) if access.is_admin(p, input.principals)

allowed(p, s) if p.subsystem == s

allowed(p, _) if access.is_admin(p, input.principals)

message(p, g, outside) := concat("", ["'", p.display_name, "' reaches only its own scoped paths through '", g.scope, "'"]) if count(outside) == 0

message(p, g, outside) := concat("", [
	object.get(p, "subsystem", "unassigned"), " principal '", p.display_name, "' reaches ",
	lib.num_str(count(outside)), " object(s) of other subsystems through '", g.scope, "': ",
	concat(", ", array.slice(sort(outside), 0, 5)), suffix(count(outside)),
]) if count(outside) > 0

suffix(n) := "" if n <= 5

suffix(n) := concat("", [" and ", lib.num_str(n - 5), " more"]) if n > 5
