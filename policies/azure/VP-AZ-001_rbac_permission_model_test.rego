package vaultproof.rules.azure.rbac_permission_model_test

import data.vaultproof.rules.azure.rbac_permission_model as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

vid := fx.azure_vault({}).id

with_model(m) := {"kind": "vault", "now": fx.now, "vault": fx.azure_vault({"config": object.union(fx.azure_vault({}).config, {"permission_model": m})})}

test_rbac_passes if {
	some f in rule.findings with input as with_model("rbac")
	f.status == "pass"
	f.metric == {"name": "RbacPermissionModel", "value": "rbac", "op": "==", "threshold": "rbac"}
}

test_access_policies_fail_and_unknown_is_error if {
	fx.statuses(rule.findings) == {[vid, "fail"]} with input as with_model("access-policy")
	fx.statuses(rule.findings) == {[vid, "error"]} with input as with_model(null)
}

test_hashicorp_not_judged if {
	count(rule.findings) == 0 with input as fx.hashi_input({})
}
