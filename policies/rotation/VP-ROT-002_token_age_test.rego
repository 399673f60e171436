package vaultproof.rules.rotation.token_age_test

import data.vaultproof.rules.rotation.token_age as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

test_api_token_within_60_days_passes if {
	objs := {"t1": fx.obj("t1", "secret", "project/connectors/jamf/oauth-client", 59, {})}
	fx.statuses(rule.findings) == {["t1", "pass"]} with input as fx.vault_input(objs)
}

test_api_token_older_than_60_days_fails if {
	objs := {"t1": fx.obj("t1", "secret", "project/connectors/landscape/api-token", 61, {})}
	some f in rule.findings with input as fx.vault_input(objs)
	f.status == "fail"
	f.metric == {"name": "TokenAgeDays", "value": 61, "op": "<=", "threshold": 60}
}

test_scanner_token_judged_as_token if {
	objs := {"s1": fx.obj("s1", "secret", "project/scanners/trivy", 70, {})}
	fx.statuses(rule.findings) == {["s1", "fail"]} with input as fx.vault_input(objs)
}

test_tag_overrides_path_classification if {
	objs := {"x": fx.obj("x", "secret", "misc/thing", 70, {"tags": {"credential-type": "api-token"}})}
	fx.statuses(rule.findings) == {["x", "fail"]} with input as fx.vault_input(objs)
}
