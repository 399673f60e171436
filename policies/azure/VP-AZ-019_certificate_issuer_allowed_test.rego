package vaultproof.rules.azure.certificate_issuer_allowed_test

import data.vaultproof.rules.azure.certificate_issuer_allowed as issuer
import data.vaultproof.test.fixtures as fx
import rego.v1

pol(name) := {"validity_months": 12, "auto_renew": true, "renew_before_expiry_days": null, "renew_at_lifetime_percentage": 24, "issuer_name": name}

cert(id, p) := fx.obj(id, "certificate", concat("/", ["project/control-plane", id]), 1, {"certificate_policy": p})

objs := {
	"digicert": cert("digicert", pol("DigiCert")),
	"internal": cert("internal", pol("Unknown")),
	"self": cert("self", pol("Self")),
	"other": cert("other", pol("acme-issuer")),
	"nullname": cert("nullname", pol(null)),
	"older": cert("older", object.remove(pol("x"), ["issuer_name"])),
	"nopolicy": cert("nopolicy", null),
}

test_certificate_issuer if {
	fx.statuses(issuer.findings) == {
		["digicert", "pass"], ["internal", "pass"], ["self", "fail"], ["other", "fail"],
		["nullname", "error"], ["older", "error"], ["nopolicy", "error"],
	} with input as fx.vault_input(objs)
	some f in issuer.findings with input as fx.vault_input({"self": objs.self})
	f.metric == {"name": "CertificateIssuerAllowed", "value": "Self", "op": "==", "threshold": "DigiCert,GlobalSign,Unknown"}
	f.message == "certificate 'project/control-plane/self' is issued by itself (self-signed)"
	some g in issuer.findings with input as fx.vault_input({"other": objs.other})
	g.message == "certificate 'project/control-plane/other' is issued by issuer 'acme-issuer'"
	some h in issuer.findings with input as fx.vault_input({"internal": objs.internal})
	h.message == "certificate 'project/control-plane/internal' is issued by a CA outside Key Vault (issuer Unknown)"
}

# First law: an issuer not collected (older snapshot, no policy) is error, never pass.
test_unknown_issuer_is_error if {
	some f in issuer.findings with input as fx.vault_input({"older": objs.older})
	f.status == "error"
	f.metric.value == null
	f.message == "the issuer of certificate 'project/control-plane/older' could not be read"
}

test_issuers_from_config if {
	fx.statuses(issuer.findings) == {["internal", "fail"], ["other", "pass"]} with input as fx.vault_input({"internal": objs.internal, "other": objs.other})
		with data.config.thresholds.allowed_certificate_issuers as ["acme-issuer"]
}
