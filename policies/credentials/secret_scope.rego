# METADATA
# title: Every secret belongs to a known subsystem
# description: |
#   Secrets are grouped per subsystem (control-plane, packaging, connectors/<name>, cab) and reached
#   through policy-managed paths. Each object's subsystem comes from its `subsystem` tag, else its
#   path (`[<mount>/]project/<subsystem>/...`), else the subsystem of a vault dedicated to one; it
#   must match `known_subsystems`. Objects of shared vaults outside any subsystem path fail.
# custom:
#   id: VP-CRD-003
#   severity: medium
#   control: secrets-management §1.4
#   metric: SecretScope
#   remediation: |
#     Move the secret under `project/<subsystem>/...` (HashiCorp Vault) or into the subsystem's own
#     Key Vault, or tag it `subsystem=<name>`; delete it if nothing uses it.
#   references:
#     - "secrets-management §1.4: secrets grouped per subsystem, accessed via policy-managed paths"
package vaultproof.rules.credentials.secret_scope

import data.vaultproof.lib
import data.vaultproof.lib.classification
import rego.v1

metric_name := "SecretScope"

findings[out.resource.id] := out if {
	v := input.vault
	some o in v.objects
	s := classification.vault_subsystems[o.id]
	ok := known(s)
	status := lib.status_bool(ok)
	msg := message(o, s, ok)
	out := lib.finding(status, lib.object_resource(v, o), lib.metric(metric_name, ok, "==", true), msg)
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
