package vaultproof.rules.hashicorp.seal_protection_test

import data.vaultproof.rules.hashicorp.seal_protection as seal
import data.vaultproof.test.fixtures as fx
import rego.v1

mount(path, type, wrap) := {"path": path, "type": type, "kv_version": null, "max_versions": null, "delete_version_after_seconds": null, "cas_required": null, "default_lease_ttl": 0, "max_lease_ttl": 0, "seal_wrap": wrap}

signing_key := {
	"id": "hashicorp-vault:hv:transit:transit/release-signing", "kind": "key", "name": "release-signing", "path": "transit/release-signing",
	"enabled": true, "created": fx.days_ago(10), "updated": fx.days_ago(10), "expires": null, "not_before": null,
	"tags": {"credential-type": "signing-key"}, "content_type": null, "current_version": "1", "versions": {},
}

# Exactly these facts (object.union would merge mounts and objects into the fixture's).
inp(facts, objects) := {"kind": "vault", "now": fx.now, "vault": object.union(object.remove(fx.hashi_vault({}), ["hashicorp", "objects"]), {"objects": objects, "hashicorp": object.union(fx.hashi_vault({}).hashicorp, facts)})}

wrapped := {"pki/": mount("pki/", "pki", true), "transit/": mount("transit/", "transit", true), "secret/": mount("secret/", "kv", false)}

only(findings) := f if {
	count(findings) == 1
	some f in findings
}

test_hsm_seal_and_wrapped_signing_mounts_pass if {
	f := only(seal.findings) with input as inp({"seal_type": "pkcs11", "mounts": wrapped}, {signing_key.id: signing_key})
	f.status == "pass"
	f.metric.value == 0
	f.message == "unsealed; seal pkcs11 (HSM/KMS); 2 signing-key mount(s) seal-wrapped"
	# no key needing an HSM, no PKI: a Shamir seal is not judged
	g := only(seal.findings) with input as inp({"seal_type": "shamir", "mounts": {"secret/": mount("secret/", "kv", false)}}, {})
	g.status == "pass"
	g.message == "unsealed; no key needs an HSM seal; 0 signing-key mount(s) seal-wrapped"
}

test_sealed_shamir_and_unwrapped_mounts_fail if {
	mounts := {"pki/": mount("pki/", "pki", false), "transit/": mount("transit/", "transit", false)}
	f := only(seal.findings) with input as inp({"sealed": true, "seal_type": "shamir", "mounts": mounts}, {signing_key.id: signing_key})
	f.status == "fail"
	f.metric.value == 4
	f.message == "mount pki/ holds signing keys without seal wrap; mount transit/ holds signing keys without seal wrap; seal type shamir is not an HSM or KMS seal, but PKI mount pki/, key transit/release-signing need(s) one; the cluster is sealed (unavailable)"
}

test_hsm_requirement_follows_the_threshold if {
	i := inp({"seal_type": "transit", "mounts": {"transit/": mount("transit/", "transit", true)}}, {signing_key.id: signing_key})
	only(seal.findings).status == "fail" with input as i
	only(seal.findings).status == "pass" with input as i with data.config.thresholds.hsm_required_key_types as ["admin-key"]
}

# First law: an unread seal status, seal type or seal-wrap flag never passes.
test_unread_facts_are_error if {
	f := only(seal.findings) with input as inp({"sealed": null, "seal_type": "pkcs11", "mounts": wrapped}, {})
	f.status == "error"
	f.metric.value == null
	f.message == "could not be read: the seal status (sys/seal-status)"
	g := only(seal.findings) with input as inp({"seal_type": null, "mounts": wrapped}, {})
	g.status == "error"
	g.message == "could not be read: the seal type (sys/seal-status)"
	h := only(seal.findings) with input as inp({"seal_type": "pkcs11", "mounts": {"pki/": object.remove(mount("pki/", "pki", true), ["seal_wrap"])}}, {})
	h.status == "error"
	h.message == "could not be read: the seal wrap of mount pki/"
	# absent in an older snapshot
	k := only(seal.findings) with input as inp({"mounts": wrapped}, {})
	k.status == "error"
}

test_azure_vaults_are_not_judged if {
	count(seal.findings) == 0 with input as fx.vault_input({})
}

# The less-evidence property found it (issue 20's demo fleet): a vault whose HashiCorp facts are absent passed as "unsealed".
test_vault_without_hashicorp_facts_is_error if {
	f := only(seal.findings) with input as json.remove(inp({"sealed": true}, {}), ["vault/hashicorp"])
	f.status == "error"
	f.message == "could not be read: the seal status (sys/seal-status)"
}
