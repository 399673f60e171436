package vaultproof.rules.rotation.app_credential_age_test

import data.vaultproof.rules.rotation.app_credential_age as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

day := 86400

fleet(principals) := {"kind": "fleet", "now": fx.now, "vaults": {}, "replication": {}, "principals": principals}

sp(id, subsystem, creds) := {
	"id": id, "provider": "azure-keyvault", "type": "service-principal", "display_name": id,
	"auth_methods": ["certificate"], "member_of": [], "subsystem": subsystem, "credentials": creds,
}

cred(id, kind, start_days_ago, end) := {"id": id, "kind": kind, "owner": "application", "start": fx.now - (start_days_ago * day), "end": end}

test_young_certificate_passes_and_old_one_fails if {
	fs := rule.findings with input as fleet({"sp": sp("sp", "control-plane", [
		cred("c1", "certificate", 30, null),
		cred("c2", "certificate", 120, fx.now + (30 * day)),
	])})
	fs["sp:credential:c1"].status == "pass"
	fs["sp:credential:c1"].metric == {"name": "CertificateAgeDays", "value": 30, "op": "<=", "threshold": 90}
	fs["sp:credential:c2"].status == "fail"
	fs["sp:credential:c2"].message == "certificate c2 of the app registration 'sp' is 120 days old; the rotation interval is 90 days"
}

# The Intune connector's client secret of §2 ("with rotation") is rotated like an API token (60 days).
test_intune_client_secret_is_judged_as_an_api_token if {
	fs := rule.findings with input as fleet({"intune": sp("intune", "connectors/intune", [
		cred("s1", "client-secret", 61, fx.now + (300 * day)),
		cred("s2", "client-secret", 59, fx.now + (300 * day)),
	])})
	fs["intune:credential:s1"].status == "fail"
	fs["intune:credential:s1"].metric == {"name": "TokenAgeDays", "value": 61, "op": "<=", "threshold": 60}
	fs["intune:credential:s2"].status == "pass"
}

test_subsystem_override_applies if {
	fs := rule.findings with input as fleet({"sp": sp("sp", "connectors/intune", [cred("c", "certificate", 70, null)])})
		with data.config.thresholds.subsystems as {"connectors/intune": {"rotation_days": {"sp-certificate": 60}}}
	fs["sp:credential:c"].status == "fail"
	fs["sp:credential:c"].metric.threshold == 60
}

test_missing_start_date_is_error_never_pass if {
	fs := rule.findings with input as fleet({"sp": sp("sp", "control-plane", [{"id": "c", "kind": "client-secret", "owner": "service-principal", "start": null, "end": null}])})
	fs["sp:credential:c"].status == "error"
	fs["sp:credential:c"].metric.value == null
}

test_expired_signing_and_federated_credentials_are_not_judged if {
	count(rule.findings) == 0 with input as fleet({"sp": sp("sp", "control-plane", [
		cred("expired", "client-secret", 400, fx.now - day),
		object.union(cred("saml", "certificate", 400, null), {"usage": "Sign"}),
		{"id": "fic", "kind": "federated", "owner": "application", "start": null, "end": null},
	])})
}

test_principal_without_subsystem_uses_the_standard_interval if {
	fs := rule.findings with input as fleet({"u": object.remove(sp("u", "", [cred("c", "certificate", 91, null)]), ["subsystem"])})
	fs["u:credential:c"].status == "fail"
	fs["u:credential:c"].metric.threshold == 90
}
