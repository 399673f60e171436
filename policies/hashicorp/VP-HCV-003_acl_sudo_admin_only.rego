# METADATA
# title: Only admin policies carry sudo
# description: |
#   `sudo` opens root-protected paths (audit devices, seal, raw storage, policies). It belongs to the
#   platform admins' policies only (names matching `admin_policies`). Every other ACL policy must
#   have no rule with `sudo`. Reading three root-protected paths needs `sudo` too: the audit device
#   list (`sys/audit`), the audited request headers (`sys/config/auditing/request-headers`) and the
#   token accessor list (`auth/token/accessors`), which the documented read-only scanning policy uses. `sudo` on exactly those paths with read/list only changes nothing
#   and is not counted; anything else with `sudo` on them (update, delete, a glob) is.
# custom:
#   id: VP-HCV-003
#   severity: high
#   control: HashiCorp Vault production hardening (peer); secrets-management §3
#   requirements: [SM-3-a]
#   metric: AclPolicySudoPaths
#   settings:
#     - thresholds.admin_policies
#   remediation: |
#     Remove `sudo` from the policy; if its holders need a root-protected path, move that duty to
#     the platform admins (or add the policy name to `admin_policies` after CAB approval).
#   references:
#     - "HashiCorp Vault production hardening: least privilege"
#     - "secrets-management §3: write/manage only by the Platform Admin group"
package vaultproof.rules.hashicorp.acl_sudo_admin_only

import data.vaultproof.lib
import data.vaultproof.lib.hashicorp
import rego.v1

metric_name := "AclPolicySudoPaths"

# Root-protected paths whose read (list) only reveals metadata, as Vault names them in a policy.
read_only_sudo_paths := {"sys/audit", "sys/config/auditing/request-headers", "auth/token/accessors", "auth/token/accessors/"}

read_only_capabilities := {"read", "list", "sudo"}

read_only_sudo(r) if {
	r.path in read_only_sudo_paths
	every c in r.capabilities {
		c in read_only_capabilities
	}
}

findings[out.resource.id] := out if {
	some p in hashicorp.non_admin_policies
	sudo := {r.path | some r in p.rules; "sudo" in r.capabilities; not read_only_sudo(r)}
	reading := {r.path | some r in p.rules; "sudo" in r.capabilities; read_only_sudo(r)}
	status := lib.status_le(count(sudo), 0)
	msg := message(p, sudo, reading)
	out := lib.finding(status, hashicorp.policy_resource(p), lib.metric(metric_name, count(sudo), "==", 0), msg)
}

message(p, sudo, reading) := concat("", ["policy ", p.name, " has no sudo capability"]) if {
	count(sudo) == 0
	count(reading) == 0
}

message(p, sudo, reading) := concat("", ["policy ", p.name, " has sudo only to read root-protected metadata (", concat(", ", sort(reading)), ")"]) if {
	count(sudo) == 0
	count(reading) > 0
}

message(p, sudo, _) := concat("", ["non-admin policy ", p.name, " has sudo on ", concat(", ", sort(sudo))]) if count(sudo) > 0
