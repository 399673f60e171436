# METADATA
# title: Every secret belongs to a known subsystem
# description: |
#   Secrets are grouped per subsystem (control-plane, packaging, connectors/<name>, cab) and reached
#   through policy-managed paths. Each object's subsystem comes from its `subsystem` tag, else its
#   path (`[<mount>/]project/<subsystem>/...`, the mount may have several segments such as
#   `team/kv/`), else the subsystem of a vault dedicated to one; it must match `known_subsystems`.
#   Objects on the standard's break-glass path (`break_glass_paths`, e.g. `EmergencyAccess`, or
#   inside such a folder) pass: the standard scopes that path itself. Objects of shared vaults
#   outside any subsystem path fail.
# custom:
#   id: VP-CRD-003
#   severity: medium
#   control: secrets-management §1.4
#   requirements: [SM-1.4-a]
#   metric: SecretScope
#   settings:
#     - thresholds.known_subsystems
#     - thresholds.break_glass_paths
#   remediation: |
#     Move the secret under `project/<subsystem>/...` (HashiCorp Vault) or into the subsystem's own
#     Key Vault, or tag it `subsystem=<name>`; delete it if nothing uses it.
#   references:
#     - "secrets-management §1.4: secrets grouped per subsystem, accessed via policy-managed paths"
package vaultproof.rules.credentials.secret_scope

import data.vaultproof.lib
import data.vaultproof.lib.access
import data.vaultproof.lib.classification
import data.vaultproof.lib.hashicorp
import rego.v1

metric_name := "SecretScope"

findings[out.resource.id] := out if {
	v := input.vault
	some o in v.objects
	not access.break_glass_path(o.path)
	s := scope_subsystem(o)
	ok := known(s)
	status := lib.status_bool(ok)
	msg := message(o, s, ok)
	out := lib.finding(status, lib.object_resource(v, o), lib.metric(metric_name, ok, "==", true), msg)
}

# The standard's own break-glass path (§3: "limited EmergencyAccess secret path") is scoped by
# the standard itself: it belongs to the platform admins, not to a subsystem.
findings[out.resource.id] := out if {
	v := input.vault
	some o in v.objects
	access.break_glass_path(o.path)
	msg := concat("", ["'", o.path, "' is on the standard's break-glass (EmergencyAccess) path"])
	out := lib.finding("pass", lib.object_resource(v, o), lib.metric(metric_name, true, "==", true), msg)
}

# The object's subsystem: the classification's, except for a HashiCorp path under a mount of
# several segments (`team/kv/project/cab/...`), whose `project/<subsystem>/` layout starts after
# the mount (the longest mount path holding it).
scope_subsystem(o) := mount_subsystem(o.path) if below_deep_mount(o)

scope_subsystem(o) := classification.vault_subsystems[o.id] if not below_deep_mount(o)

below_deep_mount(o) if {
	not o.tags.subsystem
	not classification.path_subsystem(o.path)
	mount_subsystem(o.path)
}

mount_subsystem(path) := classification.path_subsystem(substring(path, count(mp), -1)) if {
	mp := hashicorp.longest_mount(path)
}

known(s) := true if {
	some pattern in data.config.thresholds.known_subsystems
	glob.match(pattern, ["/"], s)
}

known(s) := false if {
	every pattern in data.config.thresholds.known_subsystems {
		not glob.match(pattern, ["/"], s)
	}
}

message(o, s, true) := concat("", ["'", o.path, "' belongs to subsystem ", s])

message(o, "", false) := concat("", ["'", o.path, "' belongs to no subsystem (no subsystem tag, no project/<subsystem>/ path, no dedicated vault)"])

message(o, s, false) := concat("", ["'", o.path, "' belongs to subsystem '", s, "', which is not one of ", concat(", ", data.config.thresholds.known_subsystems)]) if s != ""
