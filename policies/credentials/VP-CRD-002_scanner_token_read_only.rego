# METADATA
# title: Scanner tokens are one per tool and read-only
# description: |
#   Tokens of the scanning tools (Trivy, Grype, Snyk...) are stored per tool as read-only tokens.
#   A scanner token must name exactly one known tool (`tool` tag, else the path segment after
#   the last `scanners/`, checked against `scanner_tools`) and declare its scope read-only (tag
#   `token-scope` = `read-only`): a token without a declared scope cannot be shown to be read-only
#   and fails.
# custom:
#   id: VP-CRD-002
#   severity: medium
#   control: secrets-management §2
#   requirements: [SM-2-g]
#   metric: ScannerTokenReadOnly
#   settings:
#     - thresholds.scanner_tools
#   remediation: |
#     Issue a separate read-only token per scanning tool (e.g. Snyk service account with the
#     "Viewer" role, registry pull-only token for Trivy/Grype), store each under
#     `scanners/<tool>` and tag it `token-scope=read-only`.
#   references:
#     - "secrets-management §2: secrets for scanning tools stored per tool as read-only tokens"
package vaultproof.rules.credentials.scanner_token_read_only

import data.vaultproof.lib
import data.vaultproof.lib.classification
import rego.v1

metric_name := "ScannerTokenReadOnly"

findings[out.resource.id] := out if {
	some o in input.vault.objects
	o.enabled == true
	classification.type_of(o) == "scanner-token"
	problems := problems_of(o)
	ok := count(problems) == 0
	status := lib.status_bool(ok)
	msg := message(o, problems)
	out := lib.finding(status, lib.object_resource(input.vault, o), lib.metric(metric_name, ok, "==", true), msg)
}

tool(o) := o.tags.tool

# The segment after the last `scanners/` folder: one value by construction (a path may hold
# `scanners` twice, e.g. `scanners/scanners/trivy`).
tool(o) := parts[i + 1] if {
	not o.tags.tool
	parts := split(o.path, "/")
	i := max({j | some j, s in parts; s == "scanners"; j + 1 < count(parts)})
}

problems_of(o) := ({p | p := no_tool(o)} | {p | p := unknown_tool(o)}) | {p | p := undeclared_scope(o)}

no_tool(o) := "it names no scanning tool" if not tool(o)

unknown_tool(o) := concat("", ["'", t, "' is not one known tool (", concat(", ", data.config.thresholds.scanner_tools), ")"]) if {
	t := tool(o)
	not t in data.config.thresholds.scanner_tools
}

undeclared_scope(o) := "its scope is not declared read-only (tag token-scope)" if {
	object.get(o.tags, "token-scope", "") != "read-only"
}

message(o, problems) := concat("", ["scanner token '", o.path, "' is the read-only token of ", tool(o)]) if count(problems) == 0

message(o, problems) := concat("", ["scanner token '", o.path, "': ", concat("; ", sort(problems))]) if count(problems) > 0
