# METADATA
# description: |
#   Facts a vault shard hands to the fleet pass, so the fleet input never carries objects: for every
#   grant on the vault that uses credentials (read the value, sign or decrypt), the credential types
#   of the enabled objects it covers. Separation of duties reads them as `input.grant_types` in the
#   fleet pass. Classifying every object of the fleet inside one fleet evaluation made the fleet
#   input 28 MB and its WASM heap 1.3 GB at 100k objects (and beyond wasm32's 4 GB at 1M).
package vaultproof.lib.fleet_facts

import data.vaultproof.lib.access
import data.vaultproof.lib.classification
import rego.v1

# Grant id -> sorted credential types (possibly empty) of the vault's enabled objects it covers.
grant_types[g.id] := sort(types) if {
	input.kind == "vault"
	some g in input.grants
	access.uses(g)
	types := {t |
		some id, o in input.vault.objects
		o.enabled == true
		access.covers(g, o)
		t := classification.vault_types[id]
	}
}
