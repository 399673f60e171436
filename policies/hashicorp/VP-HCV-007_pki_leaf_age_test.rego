package vaultproof.rules.hashicorp.pki_leaf_age_test

import data.vaultproof.rules.hashicorp.pki_leaf_age as leaf
import data.vaultproof.test.fixtures as fx
import rego.v1

hc(extra) := fx.hashi_input({"hashicorp": object.union(fx.hashi_vault({}).hashicorp, extra)})

cert(id, is_ca, nbf, naf) := {"id": id, "mount": "pki/", "serial": id, "is_ca": is_ca, "not_before": nbf, "not_after": naf}

pki := {
	"ca-ok": cert("ca-ok", true, fx.days_ago(400), fx.now + (3000 * fx.day)),
	"ca-soon": cert("ca-soon", true, fx.days_ago(3000), fx.now + (100 * fx.day)),
	"leaf-ok": cert("leaf-ok", false, fx.days_ago(20), fx.now + (70 * fx.day)),
	"leaf-old": cert("leaf-old", false, fx.days_ago(200), fx.now + (165 * fx.day)),
	"leaf-expired": cert("leaf-expired", false, fx.days_ago(400), fx.days_ago(35)),
}

test_pki_leaf_age if {
	fx.statuses(leaf.findings) == {["leaf-ok", "pass"], ["leaf-old", "fail"]} with input as hc({"pki": pki})
}

