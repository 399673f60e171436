# The benchmark's `opa eval` side: every shard of the snapshot (the same inputs the engine feeds
# to WASM) through the same policies in one Go interpreter run, `with input as` per shard.
package vaultproof.bench

import rego.v1

findings := [fs |
	some s in input.shards
	fs := data.vaultproof.main.findings with input as s
]
