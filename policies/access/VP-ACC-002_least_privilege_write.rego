# METADATA
# title: Only the Platform Admin group can write to vaults or manage their access
# description: |
#   The Platform Admin group keeps write access for rotation and break-glass; packaging and
#   connector roles are read-only. Every grant conferring write, delete, purge or access management
#   is judged: it passes when its principal is a platform admin (its subsystem, or a group it is a
#   member of, is listed in `admin_subsystems`), and fails otherwise. Read-only grants are not
#   judged here (VP-ACC-004 checks their paths).
# custom:
#   id: VP-ACC-002
#   severity: critical
#   control: secrets-management §3
#   requirements: [SM-3-a, SM-3-b]
#   metric: LeastPrivilegeWrite
#   settings:
#     - thresholds.admin_subsystems
#   remediation: |
#     Replace the role assignment or Vault policy with a read-only one (Key Vault Secrets User /
#     Crypto User, or `read`/`list` capabilities); perform writes through the platform admins'
#     rotation automation.
#   references:
#     - "secrets-management §3: Platform Admin group retains vault write access"
#     - "CIS Microsoft Azure Foundations: least-privilege Key Vault data-plane roles"
#     - "HashiCorp Vault production hardening: least privilege policies"
package vaultproof.rules.access.least_privilege_write

import data.vaultproof.lib
import data.vaultproof.lib.access
import rego.v1

metric_name := "LeastPrivilegeWrite"

findings[out.resource.id] := out if {
	v := input.vault
	some g in input.grants
	caps := access.writes(g)
	count(caps) > 0
	p := input.principals[g.principal]
	ok := access.admin_flag(p, input.principals)
	status := lib.status_bool(ok)
	msg := message(ok, p, caps, g)
	out := lib.finding(status, access.grant_resource(v, g), lib.metric(metric_name, ok, "==", true), msg)
}

findings[out.resource.id] := out if {
	v := input.vault
	some g in input.grants
	count(access.writes(g)) > 0
	not input.principals[g.principal]
	msg := concat("", ["grant on '", g.scope, "' names principal ", g.principal, ", which is not in the snapshot"])
	out := lib.finding("error", access.grant_resource(v, g), lib.metric(metric_name, null, "==", true), msg)
}

message(true, p, caps, g) := concat("", ["platform admin '", p.display_name, "' holds ", concat(", ", sort(caps)), " on '", g.scope, "'"])

message(false, p, caps, g) := concat("", [
	object.get(p, "subsystem", "unassigned"), " principal '", p.display_name, "' holds ",
	concat(", ", sort(caps)), " on '", g.scope, "' but is not a platform admin",
])
