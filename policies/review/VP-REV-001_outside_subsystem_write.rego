# METADATA
# title: No principal can write to paths outside its own subsystem
# description: |
#   Every grant conferring write, delete or purge is judged against the objects of its vault it
#   covers (scope glob, `except` globs, object kinds): it fails when it covers an object of another
#   subsystem than its principal's (for a grant inherited from a Vault group, the group's, when the
#   principal names none). Subsystems follow the rulebook: the object's `subsystem` tag,
#   `project/<subsystem>/...` or `project/connectors/<name>/...` after an optional mount segment,
#   else the vault's subsystem. Platform admins (`admin_subsystems`, directly or through a group)
#   pass. A principal without a subsystem is error. Shown in the access review.
# custom:
#   id: VP-REV-001
#   severity: high
#   control: secrets-management §1.4, §3
#   requirements: [SM-1.4-b, SM-3-b]
#   metric: OutsideSubsystemWrite
#   settings:
#     - thresholds.admin_subsystems
#   remediation: >-
#     Narrow the grant to the principal's own subsystem path, or have the platform admins' rotation
#     automation perform the write.
#   references:
#     - "secrets-management §1.4: credentials are scoped to their subsystem"
#     - "secrets-management §3: monthly VaultAccessReview ensures least privilege"
package vaultproof.rules.review.outside_subsystem_write

import data.vaultproof.lib
import data.vaultproof.lib.access
import data.vaultproof.lib.classification
import rego.v1

metric_name := "OutsideSubsystemWrite"

# Write grants of the vault whose principal is in the snapshot (a grant naming an unknown principal
# is VP-ACC-002's error).
write_grants[g.id] := [g, p, writes] if {
	some g in input.grants
	writes := access.data_writes(g)
	count(writes) > 0
	p := input.principals[g.principal]
}

findings[out.resource.id] := out if {
	some [g, p, writes] in write_grants
	access.is_admin(p, input.principals)
	msg := concat("", ["platform admin '", p.display_name, "' may write across subsystems (", concat(", ", writes), " on '", g.scope, "')"])
	out := lib.finding("pass", access.grant_resource(input.vault, g), lib.metric(metric_name, 0, "==", 0), msg)
}

findings[out.resource.id] := out if {
	some [g, p, writes] in write_grants
	not access.is_admin(p, input.principals)
	not judged(p, g)
	msg := concat("", ["'", p.display_name, "' holds ", concat(", ", writes), " on '", g.scope, "' but has no subsystem to check it against"])
	out := lib.finding("error", access.grant_resource(input.vault, g), lib.metric(metric_name, null, "==", 0), msg)
}

findings[out.resource.id] := out if {
	some [g, p, writes] in write_grants
	not access.is_admin(p, input.principals)
	subsystem := judged(p, g)
	outside := sort([o.path |
		some o in input.vault.objects
		access.covers(g, o)
		classification.vault_subsystems[o.id] != subsystem
	])
	msg := message(subsystem, p, writes, g, outside)
	out := lib.finding(lib.status_le(count(outside), 0), access.grant_resource(input.vault, g), lib.metric(metric_name, count(outside), "==", 0), msg)
}

# The subsystem the grant is judged against, when there is one.
judged(p, g) := s if {
	s := access.judged_subsystem(p, g, input.principals)
	s != ""
}

message(subsystem, p, _, g, outside) := concat("", [subsystem, " principal '", p.display_name, "' writes only ", subsystem, " paths through '", g.scope, "'"]) if count(outside) == 0

message(subsystem, p, writes, g, outside) := concat("", [
	subsystem, " principal '", p.display_name, "' can ", concat(", ", writes), " ", format_int(count(outside), 10),
	" object(s) of other subsystems through '", g.scope, "': ", concat(", ", array.slice(outside, 0, 5)), more(outside),
]) if count(outside) > 0

more(outside) := concat("", [" and ", format_int(count(outside) - 5, 10), " more"]) if count(outside) > 5

more(outside) := "" if count(outside) <= 5
