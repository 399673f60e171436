# METADATA
# title: Vault is unsealed, its seal is an HSM or KMS where keys need one, and signing-key mounts are seal-wrapped
# description: |
#   A sealed Vault serves nothing: every secret, signature and login it holds is unavailable, so a
#   sealed cluster fails (`sys/seal-status` `sealed`). Where the vault holds keys whose credential
#   type `hsm_required_key_types` names (transit keys, by their classification; a PKI mount's CA
#   keys count as signing keys), the root of its barrier must itself be in an HSM or a cloud KMS:
#   the seal type must be an auto-unseal seal (`pkcs11`, `awskms`, `azurekeyvault`, `gcpckms`,
#   `ocikms`, `alicloudkms`), not `shamir` or `transit`. Mounts holding signing keys (PKI mounts,
#   transit mounts with a key classified signing-key) must be seal-wrapped (`seal_wrap`, Vault
#   Enterprise), so those keys are encrypted by the seal's HSM as well. A seal status, seal type or
#   mount seal-wrap flag that could not be read yields error.
# custom:
#   id: VP-HCV-012
#   severity: high
#   control: HashiCorp Vault production hardening (peer); secrets-management §6 (availability), HSM-backed signing keys
#   requirements: [SM-2-f]
#   metric: SealProblems
#   settings:
#     - thresholds.hsm_required_key_types
#   remediation: |
#     Unseal the cluster (or investigate why it sealed). Migrate the seal to an HSM (`seal "pkcs11"`)
#     or a cloud KMS (`seal "awskms"`, `"azurekeyvault"`, `"gcpckms"`) with `vault operator unseal
#     -migrate`. Enable the signing-key mounts with seal wrap (`vault secrets enable -seal-wrap pki`;
#     seal wrap cannot be turned on for an existing mount: move the keys to a new one).
#   references:
#     - "Vault production hardening: auto-unseal with an HSM or KMS; seal wrap (Enterprise)"
#     - "Vault API: sys/seal-status (sealed, type)"
package vaultproof.rules.hashicorp.seal_protection

import data.vaultproof.lib
import data.vaultproof.lib.classification
import rego.v1

metric_name := "SealProblems"

hsm_seal_types := {"pkcs11", "awskms", "azurekeyvault", "gcpckms", "ocikms", "alicloudkms"}

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "hashicorp-vault"
	problems := {p | some p in sealed_problem(v)} | {p | some p in seal_type_problem(v)} | {p | some p in wrap_problems(v)}
	unread := {u | some u in unread_parts(v)}
	status := judge(count(problems), count(unread))
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, value(status, count(problems)), "<=", 0), message(status, v, problems, unread))
}

judge(problems, _) := "fail" if problems > 0

judge(0, unread) := "error" if unread > 0

judge(0, 0) := "pass"

value("error", _) := null

value(status, n) := n if status != "error"

type_name(o) := classification.type_of(o)

type_name(o) := "unclassified" if not classification.type_of(o)

needs_hsm(t) if {
	some pattern in data.config.thresholds.hsm_required_key_types
	glob.match(pattern, [], t)
}

pki_mounts(v) := {mp | some mp, m in v.hashicorp.mounts; m.type == "pki"}

transit_mount_of(v, o) := mp if {
	some mp, m in v.hashicorp.mounts
	m.type == "transit"
	startswith(o.path, mp)
}

# Transit keys (objects of kind key) the vault holds, enabled.
keys(v) := [o | some o in v.objects; o.kind == "key"; o.enabled == true]

# What makes an HSM seal necessary: a key whose type needs an HSM, or a PKI mount (CA signing keys) when signing keys do.
hsm_reasons(v) := {concat("", ["key ", o.path]) | some o in keys(v); needs_hsm(type_name(o))} | {concat("", ["PKI mount ", mp]) | needs_hsm("signing-key"); some mp in pki_mounts(v)}

signing_mounts(v) := pki_mounts(v) | {mp | some o in keys(v); type_name(o) == "signing-key"; mp := transit_mount_of(v, o)}

# The vault's HashiCorp facts ({} when absent or not an object).
facts(v) := h if {
	h := object.get(v, "hashicorp", null)
	is_object(h)
}

facts(v) := {} if not is_object(object.get(v, "hashicorp", null))

sealed_problem(v) := {"the cluster is sealed (unavailable)" | v.hashicorp.sealed == true}

seal_type(v) := t if {
	t := object.get(v.hashicorp, "seal_type", null)
	is_string(t)
}

seal_type_problem(v) := {p |
	count(hsm_reasons(v)) > 0
	t := seal_type(v)
	not hsm_seal_types[t]
	p := concat("", ["seal type ", t, " is not an HSM or KMS seal, but ", concat(", ", sort(hsm_reasons(v))), " need(s) one"])
}

wrap_problems(v) := {p |
	some mp in signing_mounts(v)
	v.hashicorp.mounts[mp].seal_wrap == false
	p := concat("", ["mount ", mp, " holds signing keys without seal wrap"])
}

wrap_known(m) if is_boolean(m.seal_wrap)

seal_type_known(v) if seal_type(v)

# (`not is_boolean(v.hashicorp.sealed)` is undefined, not true, when the facts are absent: read through object.get.)
unread_parts(v) := {"the seal status (sys/seal-status)" | not is_boolean(object.get(facts(v), "sealed", null))} | {"the seal type (sys/seal-status)" |
	count(hsm_reasons(v)) > 0
	not seal_type_known(v)
} | {u |
	some mp in signing_mounts(v)
	not wrap_known(v.hashicorp.mounts[mp])
	u := concat("", ["the seal wrap of mount ", mp])
}

message("pass", v, _, _) := concat("", ["unsealed; ", hsm_note(v), "; ", wrap_note(v)])

message("fail", _, problems, _) := concat("; ", sort(problems))

message("error", _, _, unread) := concat("", ["could not be read: ", concat(", ", sort(unread))])

hsm_note(v) := concat("", ["seal ", seal_type(v), " (HSM/KMS)"]) if count(hsm_reasons(v)) > 0

hsm_note(v) := "no key needs an HSM seal" if count(hsm_reasons(v)) == 0

wrap_note(v) := concat("", [lib.num_str(count(signing_mounts(v))), " signing-key mount(s) seal-wrapped"])
