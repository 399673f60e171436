package vaultproof.lib.classification_test

import data.vaultproof.lib.classification
import data.vaultproof.test.fixtures as fx
import rego.v1

# Issue 15: a code-signing certificate stored as a Key Vault certificate under a signing path (or
# tagged purpose=signing) is a signing key, not a service-principal certificate.
test_signing_certificate_is_a_signing_key if {
	classification.classify(fx.obj("c", "certificate", "project/packaging/signing/authenticode", 1, {})) == "signing-key"
	classification.classify(fx.obj("c", "certificate", "apple/developer-id", 1, {"tags": {"purpose": "signing"}})) == "signing-key"
}

test_other_certificates_stay_sp_certificates if {
	classification.classify(fx.obj("c", "certificate", "project/control-plane/orchestrator-cert", 1, {})) == "sp-certificate"
}

test_unmatched_object_is_unclassified if {
	not classification.classify(fx.obj("x", "secret", "misc/thing", 1, {}))
}
