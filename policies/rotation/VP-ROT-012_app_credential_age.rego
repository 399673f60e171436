# METADATA
# title: Application client secrets and certificates are renewed within their rotation interval
# description: |
#   The credentials an Entra ID application (or its service principal) signs in with, as Microsoft
#   Graph lists them (`keyCredentials`, `passwordCredentials`), are judged like the credentials kept
#   in a vault: a certificate against the service principal certificate interval (`sp-certificate`,
#   §4: 90 days), a client secret against the API token interval (`api-token`, §4: 60 days; §2 allows
#   the Intune connector a client secret "with rotation"). Age is measured from the credential's
#   start date; per-subsystem overrides apply. Expired credentials cannot sign in and are not judged;
#   SAML signing certificates (usage Sign) do not sign in either. A credential without a start date
#   yields error. Federated identity credentials hold no secret and have no age.
# custom:
#   id: VP-ROT-012
#   severity: high
#   control: secrets-management §2, §4
#   requirements: [SM-2-b, SM-4-a, SM-4-b]
#   metric: CertificateAgeDays
#   settings:
#     - thresholds.rotation_days.sp-certificate
#     - thresholds.rotation_days.api-token
#   remediation: |
#     Add a new certificate (or, where a client secret is allowed, a new secret) to the app
#     registration, roll it out through the vault, then remove the old one
#     (`az ad app credential reset --append`, then `az ad app credential delete --key-id <id>`).
#     Better still, replace client secrets with a managed identity or a federated credential.
#   references:
#     - "secrets-management §4: service principal certificates 90 days, API tokens 60 days"
#     - "secrets-management §2: Intune uses an app registration cert + optional client secret with rotation"
package vaultproof.rules.rotation.app_credential_age

import data.vaultproof.lib
import data.vaultproof.lib.classification
import rego.v1

# Credential kind -> the vault credential type whose interval applies, and the metric it reports.
interval_type := {"certificate": "sp-certificate", "client-secret": "api-token"}

metric_names := {"certificate": "CertificateAgeDays", "client-secret": "TokenAgeDays"}

findings[f.resource.id] := f if {
	input.kind == "fleet"
	some p in input.principals
	some c in object.get(p, "credentials", [])
	t := interval_type[c.kind]
	usable(c)
	threshold := classification.rotation_days(t, object.get(p, "subsystem", ""))
	threshold != null
	f := judge(p, c, threshold)
}

usable(c) if {
	c.end == null
	signs_in(c)
}

usable(c) if {
	is_number(c.end)
	c.end > input.now
	signs_in(c)
}

signs_in(c) if c.kind != "certificate"

signs_in(c) if {
	c.kind == "certificate"
	lower(object.get(c, "usage", "Verify")) == "verify"
}

signs_in(c) if {
	c.kind == "certificate"
	object.get(c, "usage", "Verify") == null
}

resource(p, c) := {
	"provider": p.provider, "vault": "", "type": "principal",
	"id": concat("", [p.id, ":credential:", c.id]),
	"path": concat("", [p.display_name, " ", c.owner, " ", c.kind, " ", c.id]),
}

judge(p, c, threshold) := lib.finding(status, resource(p, c), lib.metric(metric_names[c.kind], age, "<=", threshold), msg) if {
	is_number(c.start)
	age := lib.days_between(c.start, input.now)
	status := lib.status_le(age, threshold)
	msg := concat("", [
		c.kind, " ", c.id, " of ", owner_name(c), " '", p.display_name, "' is ", lib.num_str(age),
		" days old; the rotation interval is ", lib.num_str(threshold), " days",
	])
}

judge(p, c, threshold) := lib.finding("error", resource(p, c), lib.metric(metric_names[c.kind], null, "<=", threshold), msg) if {
	not is_number(c.start)
	msg := concat("", [c.kind, " ", c.id, " of ", owner_name(c), " '", p.display_name, "' has no start date: its age cannot be measured"])
}

owner_name(c) := "the app registration" if c.owner == "application"

owner_name(c) := "the service principal" if c.owner != "application"
