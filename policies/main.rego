# METADATA
# description: |
#   The single entrypoint compiled to WASM: every finding of every rule package under
#   vaultproof.rules, tagged with the package it came from (the engine joins the catalog by package,
#   so a rule's id, title and severity live only in its METADATA block).
package vaultproof.main

import rego.v1

findings contains object.union(f, {"package": concat(".", ["vaultproof.rules", family, rule])}) if {
	some family, rule
	some f in data.vaultproof.rules[family][rule].findings
}
