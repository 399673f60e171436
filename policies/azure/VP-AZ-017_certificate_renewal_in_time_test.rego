package vaultproof.rules.azure.certificate_renewal_in_time_test

import data.vaultproof.rules.azure.certificate_renewal_in_time as renewal
import data.vaultproof.test.fixtures as fx
import rego.v1

# Certificates classify as sp-certificate (90 days) by default.
cert(id, p) := fx.obj(id, "certificate", concat("/", ["project/control-plane", id]), 1, {"certificate_policy": p})

pol(months, auto, days, pct) := {"validity_months": months, "auto_renew": auto, "renew_before_expiry_days": days, "renew_at_lifetime_percentage": pct}

objs := {
	"pct80": cert("pct80", pol(12, true, null, 80)),
	"pct24": cert("pct24", pol(12, true, null, 24)),
	"days10": cert("days10", pol(3, true, 10, null)),
	"days30": cert("days30", pol(12, true, 30, null)),
	"manual": cert("manual", pol(24, false, null, null)),
	"nopol": cert("nopol", null),
	"notrigger": cert("notrigger", pol(12, true, null, null)),
	"novalidity": cert("novalidity", pol(null, true, 30, null)),
}

test_renewal_day_against_interval if {
	fx.statuses(renewal.findings) == {
		["pct80", "fail"], ["pct24", "pass"], ["days10", "pass"], ["days30", "fail"],
		["nopol", "error"], ["notrigger", "error"], ["novalidity", "error"],
	} with input as fx.vault_input(objs)
	some f in renewal.findings with input as fx.vault_input({"pct80": objs.pct80})
	f.metric == {"name": "CertificateRenewalDay", "value": 292, "op": "<=", "threshold": 90}
	f.message == "certificate 'project/control-plane/pct80' (12 months) renews on day 292 (80 % of its lifetime)"
	some g in renewal.findings with input as fx.vault_input({"days10": objs.days10})
	g.metric.value == 81.3
	g.message == "certificate 'project/control-plane/days10' (3 months) renews on day 81.3 (10 days before expiry)"
}

# Both triggers set: the earlier one fires.
test_earlier_trigger_counts if {
	both := cert("both", pol(12, true, 300, 80))
	some f in renewal.findings with input as fx.vault_input({"both": both})
	f.status == "pass"
	f.metric.value == 65
}

# First law: a policy, trigger or validity that was not read is error, never pass.
test_missing_policy_is_error if {
	some f in renewal.findings with input as fx.vault_input({"nopol": objs.nopol})
	f.status == "error"
	f.metric.value == null
	f.message == "the renewal trigger or validity of certificate 'project/control-plane/nopol' could not be read"
}

test_interval_from_config if {
	fx.statuses(renewal.findings) == {["pct24", "fail"]} with input as fx.vault_input({"pct24": objs.pct24})
		with data.config.thresholds.rotation_days["sp-certificate"] as 60
	count(renewal.findings) == 0 with input as fx.vault_input({"pct24": objs.pct24})
		with data.config.thresholds.rotation_days["sp-certificate"] as null
}

# The less-evidence property found it: a certificate without the certificate_policy field at all
# (not null) gave no finding.
test_absent_policy_field_is_error if {
	absent := json.remove(objs.nopol, ["certificate_policy"])
	some f in renewal.findings with input as fx.vault_input({"nopol": absent})
	f.status == "error"
	f.message == "the renewal trigger or validity of certificate 'project/control-plane/nopol' could not be read"
}
