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
#   yields error.
# custom:
#   id: VP-ACC-001
#   severity: high
#   control: secrets-management §1.3, §2
#   metric: CredentialAuthMethod
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
	allowed := allowed_methods(object.get(p, "subsystem", ""))
	f := judge(p, {m | some m in allowed}, {m | some m in p.auth_methods})
}

judge(p, allowed, methods) := lib.finding("fail", access.principal_resource(p), lib.metric(metric_name, false, "==", true), msg) if {
	bad := {m | some m in methods; m != "unknown"; not allowed[m]}
	count(bad) > 0
	msg := concat("", [p.subsystem, " principal '", p.display_name, "' authenticates with ", concat(", ", sort(bad)), "; allowed: ", threshold(allowed)])
}

judge(p, allowed, methods) := lib.finding("error", access.principal_resource(p), lib.metric(metric_name, null, "==", true), msg) if {
	count({m | some m in methods; m != "unknown"; not allowed[m]}) == 0
	unknown(methods)
	msg := concat("", [p.subsystem, " principal '", p.display_name, "': authentication methods could not be determined"])
}

judge(p, allowed, methods) := lib.finding("pass", access.principal_resource(p), lib.metric(metric_name, true, "==", true), msg) if {
	every m in methods { allowed[m] }
	not unknown(methods)
	msg := concat("", [p.subsystem, " principal '", p.display_name, "' authenticates with ", concat(", ", sort(methods))])
}

unknown(methods) if "unknown" in methods

unknown(methods) if count(methods) == 0

threshold(allowed) := concat(",", sort(allowed))
