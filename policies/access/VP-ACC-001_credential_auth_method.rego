# METADATA
# title: Control-plane and connector principals authenticate without client secrets
# description: |
#   Control-plane services authenticate by managed identity or certificate, never by a client
#   secret; connectors by certificate or managed identity (the Intune connector may add a client
#   secret, which is then rotated like an API token by VP-ROT-002). Evaluated in the fleet pass on
#   every principal whose subsystem has an allowed list in the config (`allowed_auth_methods`,
#   looked up by the exact subsystem, then by its family such as `connectors`). Platform-issued
#   workload identities without a stored secret (Entra workload identity federation, Vault
#   Kubernetes auth) count as managed identities by default; Vault AppRole (a role id plus a secret
#   id) and passwords count as client secrets. A principal whose authentication methods are unknown
#   yields error, and so does one with no subsystem (none of its own and not exactly one through
#   the groups it belongs to; groups themselves do not authenticate and are not judged).
# custom:
#   id: VP-ACC-001
#   severity: high
#   control: secrets-management §1.3, §2
#   requirements: [SM-1.3-a, SM-1.3-b, SM-2-a, SM-2-b]
#   metric: CredentialAuthMethod
#   settings:
#     - thresholds.allowed_auth_methods
#   remediation: |
#     Remove the client secret from the app registration and authenticate with the service's
#     managed identity or a certificate kept in the vault (`az ad app credential delete`), then
#     rotate anything the secret could reach.
#   references:
#     - "secrets-management §1.3: Control Plane services authenticate via Managed Identities"
#     - "secrets-management §2: connectors use certificate-based auth or managed identity"
#     - "CIS Microsoft Azure Foundations 1.x: prefer managed identities / certificates over secrets"
package vaultproof.rules.access.credential_auth_method

import data.vaultproof.lib
import data.vaultproof.lib.access
import rego.v1

metric_name := "CredentialAuthMethod"

allowed_methods(subsystem) := data.config.thresholds.allowed_auth_methods[subsystem]

allowed_methods(subsystem) := data.config.thresholds.allowed_auth_methods[family] if {
	not data.config.thresholds.allowed_auth_methods[subsystem]
	family := split(subsystem, "/")[0]
}

findings[f.resource.id] := f if {
	input.kind == "fleet"
	some p in input.principals
	s := subsystem(p)
	allowed := allowed_methods(s)
	f := judge(p, s, {m | some m in allowed}, {m | some m in p.auth_methods})
}

# A principal that authenticates but has no subsystem cannot be told apart from a control-plane
# or connector principal: error, naming it.
findings[f.resource.id] := f if {
	input.kind == "fleet"
	some p in input.principals
	not group_types[object.get(p, "type", "")]
	not subsystem(p)
	msg := concat("", [
		"principal '", p.display_name, "' (", p.id, ") has no subsystem (none of its own, ",
		"and not exactly one through its groups): which authentication methods it may use cannot be told",
	])
	f := lib.finding("error", access.principal_resource(p), lib.metric(metric_name, null, "==", true), msg)
}

# Groups hold access but do not authenticate.
group_types := {"group", "vault-group"}

# The principal's subsystem: its own, else the one subsystem of the groups it belongs to.
subsystem(p) := p.subsystem if named(object.get(p, "subsystem", null))

subsystem(p) := s if {
	not named(object.get(p, "subsystem", null))
	inherited := {g.subsystem | some gid in object.get(p, "member_of", []); g := input.principals[gid]; named(object.get(g, "subsystem", null))}
	count(inherited) == 1
	some s in inherited
}

named(s) if {
	is_string(s)
	trim_space(s) != ""
}

judge(p, s, allowed, methods) := lib.finding("fail", access.principal_resource(p), lib.metric(metric_name, false, "==", true), msg) if {
	bad := {m | some m in methods; m != "unknown"; not allowed[m]}
	count(bad) > 0
	msg := concat("", [s, " principal '", p.display_name, "' authenticates with ", concat(", ", sort(bad)), "; allowed: ", threshold(allowed)])
}

judge(p, s, allowed, methods) := lib.finding("error", access.principal_resource(p), lib.metric(metric_name, null, "==", true), msg) if {
	count({m | some m in methods; m != "unknown"; not allowed[m]}) == 0
	unknown(methods)
	msg := concat("", [s, " principal '", p.display_name, "': authentication methods could not be determined"])
}

judge(p, s, allowed, methods) := lib.finding("pass", access.principal_resource(p), lib.metric(metric_name, true, "==", true), msg) if {
	every m in methods { allowed[m] }
	not unknown(methods)
	msg := concat("", [s, " principal '", p.display_name, "' authenticates with ", concat(", ", sort(methods))])
}

unknown(methods) if "unknown" in methods

unknown(methods) if count(methods) == 0

threshold(allowed) := concat(",", sort(allowed))
