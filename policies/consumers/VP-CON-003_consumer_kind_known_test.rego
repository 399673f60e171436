package vaultproof.rules.consumers.consumer_kind_known_test

import data.vaultproof.rules.consumers.consumer_kind_known as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

fleet(cs) := {"kind": "fleet", "now": fx.now, "vaults": {}, "replication": {}, "consumers": cs}

only(fs) := f if {
	count(fs) == 1
	some f in fs
}

test_known_kind_passes if {
	c := {"id": "a", "kind": "vault-agent", "kind_source": "detected", "files": ["a.hcl"], "provider": "hashicorp-vault", "vaults": []}
	f := only(rule.findings) with input as fleet({"a": c})
	f.status == "pass"
	f.metric == {"name": "ConsumerKindKnown", "value": true, "op": "==", "threshold": true}
}

test_unknown_kind_is_unjudged_error_never_pass if {
	c := {"id": "b", "kind": "unknown", "files": ["b.conf"], "provider": null, "vaults": [], "error": "no file is a consumer configuration vaultproof reads"}
	f := only(rule.findings) with input as fleet({"b": c})
	f.status == "error"
	f.metric.value == null
	f.message == "consumer 'b' is unjudged: no file is a consumer configuration vaultproof reads"
}

test_missing_kind_is_unjudged if {
	c := {"id": "c", "files": ["c.conf"], "vaults": []}
	only(rule.findings).status == "error" with input as fleet({"c": c})
}

test_no_consumers_yields_nothing if {
	count(rule.findings) == 0 with input as {"kind": "fleet", "now": fx.now, "vaults": {}, "replication": {}}
}
