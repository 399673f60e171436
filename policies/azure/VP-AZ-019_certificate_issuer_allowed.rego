# METADATA
# title: Certificates are issued by an allowed certificate authority
# description: |
#   The issuer a certificate's issuance policy names must be in `allowed_certificate_issuers`. Key
#   Vault names `Self` for a self-signed certificate (trusted by nobody, revocable by nobody),
#   `Unknown` for one issued by a CA outside Key Vault (its CSR merged by hand, or imported), and
#   otherwise the issuer object of an integrated CA (DigiCert, GlobalSign). The default allows the
#   integrated CAs under their provider's name and `Unknown`: self-signed certificates fail; list
#   your own integrated-CA issuer names, or drop `Unknown` to require an integrated CA. Judged on
#   every enabled Azure certificate; a certificate whose issuer was not collected yields error.
# custom:
#   id: VP-AZ-019
#   severity: medium
#   control: Azure Policy Key Vault built-ins (peer)
#   requirements: [SM-2-a]
#   metric: CertificateIssuerAllowed
#   settings:
#     - thresholds.allowed_certificate_issuers
#   remediation: |
#     Reissue the certificate from an allowed CA: set the policy's issuer to an integrated CA issuer
#     (`az keyvault certificate issuer create`, then `issuerParameters.name`) or merge a certificate
#     signed by your CA, and move consumers to it.
#   references:
#     - "Azure Policy: Certificates should be issued by the specified integrated certificate authority"
#     - "Azure Policy: Certificates should be issued by the specified non-integrated certificate authority"
package vaultproof.rules.azure.certificate_issuer_allowed

import data.vaultproof.lib
import rego.v1

metric_name := "CertificateIssuerAllowed"

allowed_issuers := data.config.thresholds.allowed_certificate_issuers

allowed := concat(",", allowed_issuers)

# An array: each object appears once, and a set would hash every whole object.
certificates := [o |
	v := input.vault
	v.provider == "azure-keyvault"
	some o in v.objects
	o.kind == "certificate"
	o.enabled == true
]

findings[out.resource.id] := out if {
	some o in certificates
	issuer := o.certificate_policy.issuer_name
	is_string(issuer)
	ok := issuer in allowed_issuers
	status := lib.status_bool(ok)
	msg := concat("", ["certificate '", o.path, "' is issued by ", issuer_text(issuer)])
	out := lib.finding(status, lib.object_resource(input.vault, o), lib.metric(metric_name, issuer, "==", allowed), msg)
}

findings[out.resource.id] := out if {
	some o in certificates
	not issuer_known(o)
	msg := concat("", ["the issuer of certificate '", o.path, "' could not be read"])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "==", allowed), msg)
}

issuer_known(o) if is_string(o.certificate_policy.issuer_name)

issuer_text("Self") := "itself (self-signed)"

issuer_text("Unknown") := "a CA outside Key Vault (issuer Unknown)"

issuer_text(name) := concat("", ["issuer '", name, "'"]) if not name in {"Self", "Unknown"}
