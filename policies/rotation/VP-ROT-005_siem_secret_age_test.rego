package vaultproof.rules.rotation.siem_secret_age_test

import data.vaultproof.rules.rotation.siem_secret_age as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

test_siem_secret_within_30_days_passes if {
	objs := {"s": fx.obj("s", "secret", "project/control-plane/siem/hec-token", 30, {})}
	fx.statuses(rule.findings) == {["s", "pass"]} with input as fx.vault_input(objs)
}

test_siem_secret_older_than_30_days_fails if {
	objs := {"s": fx.obj("s", "secret", "project/control-plane/telemetry/ingest-key", 31, {})}
	some f in rule.findings with input as fx.vault_input(objs)
	f.status == "fail"
	f.metric == {"name": "SIEMSecretExpiryDays", "value": 31, "op": "<=", "threshold": 30}
}
