# METADATA
# title: ACL policies do not grant on every path
# description: |
#   A policy rule on `path "*"` (or `"+/*"`) grants its capabilities on every mount, system paths
#   included. HashiCorp recommends explicit paths. Every ACL policy except the built-in root is
#   judged; each all-paths rule counts against it.
# custom:
#   id: VP-HCV-002
#   severity: high
#   control: HashiCorp Vault production hardening (peer)
#   requirements: [SM-0-c, SM-1.4-b]
#   metric: AclPolicyWildcardPaths
#   remediation: |
#     Replace `path "*"` with the specific mounts and paths the policy's holders need
#     (`vault policy write <name> <file>`).
#   references:
#     - "HashiCorp Vault production hardening: least privilege, avoid wildcard policies"
package vaultproof.rules.hashicorp.acl_no_root_wildcard

import data.vaultproof.lib
import data.vaultproof.lib.hashicorp
import rego.v1

metric_name := "AclPolicyWildcardPaths"

all_paths := {"*", "+/*", "+*"}

findings[out.resource.id] := out if {
	some p in hashicorp.policies
	bad := {r.path | some r in p.rules; all_paths[r.path]; count(r.capabilities) > 0; not deny_only(r)}
	status := lib.status_le(count(bad), 0)
	msg := message(p, bad)
	out := lib.finding(status, hashicorp.policy_resource(p), lib.metric(metric_name, count(bad), "==", 0), msg)
}

deny_only(r) if r.capabilities == ["deny"]

message(p, bad) := concat("", ["policy ", p.name, " has no all-paths rule"]) if count(bad) == 0

message(p, bad) := concat("", ["policy ", p.name, " grants on every path (", concat(", ", sort({concat("", ["\"", x, "\""]) | some x in bad})), ")"]) if count(bad) > 0
