package vaultproof.rules.review.revocation_carried_out_test

import data.vaultproof.rules.review.revocation_carried_out as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

vaults := {"v1": {"id": "v1", "provider": "hashicorp-vault", "name": "vault-weu"}}

grants := {"kept": object.union(fx.grant("kept", "app", "secret/*", ["read-value"]), {"vault": "v1"})}

fleet := {"kind": "fleet", "now": fx.now, "vaults": vaults, "principals": {}, "grants": grants, "events": null}

revocation(grant, vault, reason) := {
	"grant": grant, "scope": "secret/old/*", "vault": vault, "vault_name": "vault-old", "principal_name": "App",
	"review_id": "AR-2026-10-31-abc", "completed_at": "2026-11-05", "reason": reason,
}

config(revocations) := object.union(data.config, {"review": {"revocations": revocations}})

test_revoked_grant_gone_passes if {
	some f in rule.findings with input as fleet with data.config as config([revocation("gone", "v1", "")])
	f.status == "pass"
	f.resource == {"provider": "hashicorp-vault", "vault": "vault-old", "type": "grant", "id": "gone", "path": "secret/old/*"}
	f.metric == {"name": "RevocationCarriedOut", "value": true, "op": "==", "threshold": true}
	f.message == "'App' on 'secret/old/*' was revoked as decided in AR-2026-10-31-abc"
}

test_grant_of_a_vault_gone_is_azure_by_default if {
	some f in rule.findings with input as fleet with data.config as config([revocation("gone", "v9", "")])
	f.resource.provider == "azure-keyvault"
}

test_grant_still_present_fails if {
	some f in rule.findings with input as fleet with data.config as config([revocation("kept", "v1", "left the team")])
	f.status == "fail"
	f.resource == {"provider": "hashicorp-vault", "vault": "vault-weu", "type": "grant", "id": "kept", "path": "secret/*"}
	f.metric.value == false
	f.message == "revocation of 'App' on 'secret/old/*' decided in AR-2026-10-31-abc on 2026-11-05 (reason: left the team) was not carried out: the grant is still present"
}

test_reason_absent_is_left_out if {
	r := json.remove(revocation("kept", "v1", ""), ["reason"])
	some f in rule.findings with input as fleet with data.config as config([r])
	f.message == "revocation of 'App' on 'secret/old/*' decided in AR-2026-10-31-abc on 2026-11-05 was not carried out: the grant is still present"
}

test_no_attestation_judges_nothing if {
	count(rule.findings) == 0 with input as fleet
}
