package vaultproof.rules.rotation.signing_key_rotation_test

import data.vaultproof.rules.rotation.signing_key_rotation as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

test_recently_rotated_signing_key_passes if {
	objs := {"k": fx.obj("k", "key", "project/packaging/signing/authenticode", 20, {})}
	some f in rule.findings with input as fx.vault_input(objs)
	f.status == "pass"
	f.metric == {"name": "SigningKeyRotationComplete", "value": true, "op": "==", "threshold": true}
}

test_stale_signing_key_fails if {
	objs := {"k": fx.obj("k", "key", "gpg", 100, {"tags": {"purpose": "signing"}})}
	some f in rule.findings with input as fx.vault_input(objs)
	f.status == "fail"
	f.metric.value == false
}
