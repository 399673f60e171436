package vaultproof.main_test

import data.vaultproof.main
import rego.v1

finding(status, id) := {
	"status": status,
	"resource": {"provider": "hashicorp-vault", "vault": "v", "type": "vault", "id": id, "path": ""},
	"metric": {"name": "KvMountsVersion2", "value": 0, "op": "==", "threshold": 0},
	"message": "all 0 KV mounts are version 2",
}

unreadable := "scope hashicorp-vault:v#mounts could not be read (HTTP 403 on sys/mounts)"

test_pass_in_a_vault_with_an_unreadable_scope_is_error if {
	t := main.tuple(finding("pass", "hashicorp-vault:v")) with input as {"kind": "vault", "unreadable": unreadable}
	t[0] == "error"
	t[7] == null
	t[10] == concat("", ["not judged: ", unreadable, "; from what was read: all 0 KV mounts are version 2"])
}

test_fail_in_a_vault_with_an_unreadable_scope_stays_fail if {
	t := main.tuple(finding("fail", "hashicorp-vault:v")) with input as {"kind": "vault", "unreadable": unreadable}
	t[0] == "fail"
	t[7] == 0
}

test_pass_with_every_scope_read_stays_pass if {
	t := main.tuple(finding("pass", "hashicorp-vault:v")) with input as {"kind": "vault"}
	t[0] == "pass"
	t[10] == "all 0 KV mounts are version 2"
}

test_fleet_pass_resting_on_an_unreadable_scope_is_error if {
	fleet_in := {"kind": "fleet", "not_judged": {"p1": unreadable}}
	main.tuple(finding("pass", "p1"))[0] == "error" with input as fleet_in
	main.tuple(finding("pass", "p2"))[0] == "pass" with input as fleet_in
	main.tuple(finding("fail", "p1"))[0] == "fail" with input as fleet_in
}
