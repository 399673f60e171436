package vaultproof.rules.azure.certificate_validity_test

import data.vaultproof.rules.azure.certificate_validity as validity
import data.vaultproof.test.fixtures as fx
import rego.v1

cert(id, p) := fx.obj(id, "certificate", concat("/", ["project/control-plane", id]), 1, {"certificate_policy": p})

pol(months, auto, days, pct) := {"validity_months": months, "auto_renew": auto, "renew_before_expiry_days": days, "renew_at_lifetime_percentage": pct}

test_validity_within_limit_passes_and_longer_fails if {
	objs := {"a": cert("a", pol(12, true, 30, null)), "b": cert("b", pol(24, true, 30, null)), "c": cert("c", null)}
	fx.statuses(validity.findings) == {["a", "pass"], ["b", "fail"], ["c", "error"]} with input as fx.vault_input(objs)
	some f in validity.findings with input as fx.vault_input({"b": objs.b})
	f.metric == {"name": "CertificateValidityMonths", "value": 24, "op": "<=", "threshold": 12}
}
