package vaultproof.rules.azure.certificate_auto_renew_test

import data.vaultproof.rules.azure.certificate_auto_renew as renew
import data.vaultproof.test.fixtures as fx
import rego.v1

cert(id, p) := fx.obj(id, "certificate", concat("/", ["project/control-plane", id]), 1, {"certificate_policy": p})

pol(months, auto, days, pct) := {"validity_months": months, "auto_renew": auto, "renew_before_expiry_days": days, "renew_at_lifetime_percentage": pct}

test_auto_renew if {
	objs := {
		"a": cert("a", pol(12, true, 30, null)), "b": cert("b", pol(12, false, null, null)),
		"p": cert("p", pol(12, true, null, 80)), "n": cert("n", pol(12, true, null, null)),
		"c": fx.obj("c", "certificate", "x", 1, {}),
	}
	fx.statuses(renew.findings) == {["a", "pass"], ["b", "fail"], ["p", "pass"], ["n", "pass"], ["c", "error"]} with input as fx.vault_input(objs)
	some f in renew.findings with input as fx.vault_input({"a": objs.a})
	f.message == "certificate 'project/control-plane/a' renews automatically 30 days before expiry"
	some g in renew.findings with input as fx.vault_input({"p": objs.p})
	g.message == "certificate 'project/control-plane/p' renews automatically at 80 % of its lifetime"
	some h in renew.findings with input as fx.vault_input({"b": objs.b})
	h.message == "certificate 'project/control-plane/b' has no AutoRenew lifetime action"
}
