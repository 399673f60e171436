# The benchmark's `opa eval` side: every shard of the snapshot (the same inputs the engine feeds
# to WASM) through the same policies in one Go interpreter run, `with input as` per shard, in the
# engine's two phases: the vault shards, then the fleet pass with the grant_types they produced.
# `total` counts the finding tuples so the harness need not parse the (large) output.
package vaultproof.bench

import rego.v1

vault_results := [r |
	some s in input.vault_shards
	r := data.vaultproof.main.result with input as s
]

fleet_result := r if {
	fleet := object.union(input.fleet, {"grant_types": object.union_n([r.grant_types | some r in vault_results])})
	r := data.vaultproof.main.result with input as fleet
}

findings := array.concat([r.findings | some r in vault_results], [fleet_result.findings])

total := sum([count(g.findings) | some groups in findings; some g in groups])

result := {"findings": findings, "total": total}
