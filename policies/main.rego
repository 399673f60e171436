# METADATA
# description: |
#   The single entrypoint compiled to WASM: every finding of every rule package under
#   vaultproof.rules, tagged with the package it came from (the engine joins the catalog by package,
#   so a rule's id, title and severity live only in its METADATA block).
package vaultproof.main

import rego.v1

#
# An array, not a set: each rule's findings are already a set, and the "package" tag makes findings
# of different packages distinct, so a set here would only re-hash every finding (the WASM target
# caches no hashes: ~15 % of the evaluation at 10k objects). The engine sorts the findings anyway.
findings := [object.union(f, {"package": concat(".", ["vaultproof.rules", family, rule])}) |
	some family, rule
	some f in data.vaultproof.rules[family][rule].findings
]
