package vaultproof.rules.rotation.certificate_age_test

import data.vaultproof.rules.rotation.certificate_age as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

test_young_certificate_passes if {
	objs := {"c1": fx.obj("c1", "certificate", "project/control-plane/api-gw", 89, {})}
	fx.statuses(rule.findings) == {["c1", "pass"]} with input as fx.vault_input(objs)
}

test_old_certificate_fails_with_age if {
	objs := {"c1": fx.obj("c1", "certificate", "project/control-plane/api-gw", 120, {})}
	some f in rule.findings with input as fx.vault_input(objs)
	f.status == "fail"
	f.metric == {"name": "CertificateAgeDays", "value": 120, "op": "<=", "threshold": 90}
	f.message == "sp-certificate 'project/control-plane/api-gw' was last rotated 120 days ago; the interval for sp-certificate is 90 days"
}

test_boundary_90_days_passes if {
	objs := {"c1": fx.obj("c1", "certificate", "project/control-plane/api-gw", 90, {})}
	fx.statuses(rule.findings) == {["c1", "pass"]} with input as fx.vault_input(objs)
}

test_age_counts_from_current_version if {
	o := fx.obj("c1", "certificate", "project/control-plane/api-gw", 400, {"current_version": "v2", "versions": {
		"v1": {"created": fx.days_ago(400), "updated": fx.days_ago(400), "expires": null, "not_before": null, "enabled": false},
		"v2": {"created": fx.days_ago(10), "updated": fx.days_ago(10), "expires": null, "not_before": null, "enabled": true},
	}})
	some f in rule.findings with input as fx.vault_input({"c1": o})
	f.metric.value == 10
}

test_disabled_certificate_not_judged if {
	objs := {"c1": fx.obj("c1", "certificate", "project/control-plane/api-gw", 400, {"enabled": false})}
	count(rule.findings) == 0 with input as fx.vault_input(objs)
}

test_subsystem_override_applies if {
	objs := {"c1": fx.obj("c1", "certificate", "project/connectors/intune/cert", 50, {})}
	cfg := object.union(data.config, {"thresholds": {"subsystems": {"connectors/intune": {"rotation_days": {"sp-certificate": 30}}}}})
	some f in rule.findings with input as fx.vault_input(objs) with data.config as cfg
	f.status == "fail"
	f.metric.threshold == 30
}

# Issue 15: a credential whose store keeps no timestamps (KV v1) has no age: error, never dropped.
test_age_unknown_is_error if {
	o := object.union(fx.obj("c", "certificate", "project/control-plane/c", 1, {}), {"created": null, "updated": null, "versions": {"v1": {"created": null, "updated": null}}})
	some f in rule.findings with input as fx.vault_input({"c": o})
	f.status == "error"
	f.metric.value == null
	f.message == "sp-certificate 'project/control-plane/c' has no creation time for its current version (the store keeps none): its age cannot be compared with the 90-day interval"
}
