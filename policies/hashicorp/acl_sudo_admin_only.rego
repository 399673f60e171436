# METADATA
# title: Only admin policies carry sudo
# description: |
#   `sudo` opens root-protected paths (audit devices, seal, raw storage, policies). It belongs to the
#   platform admins' policies only (names matching `admin_policies`). Every other ACL policy must
#   have no rule with `sudo`.
# custom:
#   id: VP-HCV-003
#   severity: high
#   control: HashiCorp Vault production hardening (peer); secrets-management §3
#   metric: AclPolicySudoPaths
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

findings[out.resource.id] := out if {
	some p in hashicorp.non_admin_policies
	sudo := {r.path | some r in p.rules; "sudo" in r.capabilities}
	status := lib.status_le(count(sudo), 0)
	msg := message(p, sudo)
	out := lib.finding(status, hashicorp.policy_resource(p), lib.metric(metric_name, count(sudo), "==", 0), msg)
}

message(p, sudo) := concat("", ["policy ", p.name, " has no sudo capability"]) if count(sudo) == 0

message(p, sudo) := concat("", ["non-admin policy ", p.name, " has sudo on ", concat(", ", sort(sudo))]) if count(sudo) > 0
