package vaultproof.lib.vault_acl_test

import data.vaultproof.lib.vault_acl
import rego.v1

policy(paths) := {"name": "p", "rules": [{"path": x, "capabilities": ["read"]} | some x in paths]}

governs(paths, request) := {r.path | some r in vault_acl.governing(policy(paths), request)}

test_matching if {
	vault_acl.matches(vault_acl.compiled("secret/*"), "secret/data/x")
	vault_acl.matches(vault_acl.compiled("secret/data/x"), "secret/data/x")
	not vault_acl.matches(vault_acl.compiled("secret/data/x"), "secret/data/xy")
	vault_acl.matches(vault_acl.compiled("secret/+/x"), "secret/data/x")
	not vault_acl.matches(vault_acl.compiled("secret/+/x"), "secret/data/x/y")
	vault_acl.matches(vault_acl.compiled("secret/+/x*"), "secret/data/xy/z")
	vault_acl.matches(vault_acl.compiled("+/data/*"), "secret/data/x")
	not vault_acl.matches(vault_acl.compiled("+/data/*"), "secret/metadata/x")
}

# Vault's priority matching, as its policy documentation lists it.
test_priority if {
	# an exact path beats any glob
	governs(["secret/*", "secret/data/x"], "secret/data/x") == {"secret/data/x"}
	# the first wildcard or glob later wins
	governs(["secret/*", "secret/data/*"], "secret/data/x") == {"secret/data/*"}
	governs(["secret/+/x", "secret/data/*"], "secret/data/x") == {"secret/data/*"}
	# a path not ending in * wins over one that does
	governs(["secret/+/x", "secret/+/*"], "secret/data/x") == {"secret/+/x"}
	# fewer + segments win
	governs(["+/+/x", "+/data/x"], "secret/data/x") == {"+/data/x"}
	# the longer wins, then the lexically greater
	governs(["secret/data/x*", "secret/data/*"], "secret/data/xy") == {"secret/data/x*"}
	governs(["secret/+/a*", "secret/+/ab*"], "secret/data/abc") == {"secret/+/ab*"}
	# nothing matching governs nothing
	governs(["other/*"], "secret/data/x") == set()
}
