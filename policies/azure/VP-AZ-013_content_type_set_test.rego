package vaultproof.rules.azure.content_type_set_test

import data.vaultproof.rules.azure.content_type_set as content
import data.vaultproof.test.fixtures as fx
import rego.v1

test_content_type if {
	objs := {
		"a": fx.obj("a", "secret", "a", 1, {"content_type": "application/x-pem-file"}),
		"b": fx.obj("b", "secret", "b", 1, {}),
		"c": fx.obj("c", "secret", "c", 1, {"content_type": ""}),
		"k": fx.obj("k", "key", "k", 1, {}),
	}
	fx.statuses(content.findings) == {["a", "pass"], ["b", "fail"], ["c", "fail"]} with input as fx.vault_input(objs)
}

test_messages if {
	some f in content.findings with input as fx.vault_input({"a": fx.obj("a", "secret", "app/a", 1, {"content_type": "application/x-pem-file"})})
	f.message == "secret 'app/a' has content type application/x-pem-file"
	some g in content.findings with input as fx.vault_input({"b": fx.obj("b", "secret", "app/b", 1, {"content_type": null})})
	g.status == "fail"
	g.message == "secret 'app/b' has no content type"
}

test_hashicorp_vaults_not_judged if {
	count(content.findings) == 0 with input as fx.hashi_input({})
}
