# METADATA
# title: Non-admin policies do not write through wildcards on secret paths
# description: |
#   Writes to secrets are the platform admins' (rotation, break-glass); a non-admin policy that can
#   create, update, patch or delete through a wildcard path on a KV mount can overwrite any secret
#   below it. Every ACL policy not matching `admin_policies` is judged; each such rule counts.
# custom:
#   id: VP-HCV-004
#   severity: high
#   control: HashiCorp Vault production hardening (peer); secrets-management §3
#   requirements: [SM-3-b]
#   metric: AclPolicyWildcardWritePaths
#   settings:
#     - thresholds.admin_policies
#   remediation: |
#     Limit the policy to `read`/`list` on its subsystem's path, or name the exact secret paths a
#     rotation job writes; keep wildcard writes in the admin policies.
#   references:
#     - "HashiCorp Vault production hardening: least privilege"
#     - "secrets-management §3: Packaging/Connector roles have read-only access"
package vaultproof.rules.hashicorp.acl_no_wildcard_write

import data.vaultproof.lib
import data.vaultproof.lib.hashicorp
import rego.v1

metric_name := "AclPolicyWildcardWritePaths"

findings[out.resource.id] := out if {
	some p in hashicorp.non_admin_policies
	bad := {r.path |
		some r in p.rules
		hashicorp.writes(r)
		hashicorp.wildcard(r.path)
		hashicorp.on_kv_mount(r.path)
	}
	status := lib.status_le(count(bad), 0)
	msg := message(p, bad)
	out := lib.finding(status, hashicorp.policy_resource(p), lib.metric(metric_name, count(bad), "==", 0), msg)
}

message(p, bad) := concat("", ["policy ", p.name, " has no wildcard write on secret paths"]) if count(bad) == 0

message(p, bad) := concat("", ["non-admin policy ", p.name, " writes through wildcard secret paths: ", concat(", ", sort(bad))]) if count(bad) > 0
