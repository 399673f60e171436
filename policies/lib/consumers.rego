# METADATA
# description: |
#   Helpers of the consumer rules (policies/consumers): the services that consume secrets, read
#   from their configuration files by the consumers collector (snapshot `consumers`, keyed by id,
#   in the fleet input; null when the config has no `consumers:` block).
package vaultproof.lib.consumers

import rego.v1

# Every consumer of the fleet input, by id (none when no consumers were collected).
all[id] := c if {
	input.kind == "fleet"
	cs := object.get(input, "consumers", null)
	is_object(cs)
	some id, c in cs
}

# Consumers not of the unknown kind: the kind rules (VP-CON-001, -002) judge them (a record without
# its kind is error there, see unreadable); VP-CON-003 reports the unknown ones.
known[id] := c if {
	some id, c in all
	object.get(c, "kind", null) != "unknown"
}

# The finding's resource: the vault technology it reads from (its kind's, or Azure Key Vault, the
# standard's primary technology, when the files do not say), the vaults named, the files read.
resource(id, c) := {
	"provider": provider(c),
	"vault": concat(", ", object.get(c, "vaults", [])),
	"type": "consumer",
	"id": concat(":", ["consumer", id]),
	"path": concat(", ", object.get(c, "files", [])),
}

hashicorp_kinds := {"vault-agent", "vault-proxy"}

provider(c) := p if {
	p := object.get(c, "provider", null)
	is_string(p)
}

provider(c) := "hashicorp-vault" if {
	not is_string(object.get(c, "provider", null))
	hashicorp_kinds[object.get(c, "kind", "")]
}

provider(c) := "azure-keyvault" if {
	not is_string(object.get(c, "provider", null))
	not hashicorp_kinds[object.get(c, "kind", "")]
}

# Why the consumer cannot be judged (a file unreadable or malformed, or its kind not recorded), if it cannot.
unreadable(c) := e if {
	e := object.get(c, "error", null)
	is_string(e)
}

unreadable(c) := "its kind is not recorded" if {
	not is_string(object.get(c, "error", null))
	not is_string(object.get(c, "kind", null))
}

label(id, c) := concat("", ["consumer '", id, "' (", object.get(c, "kind", "unknown"), ")"])
