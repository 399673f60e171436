# METADATA
# description: |
#   Audit destinations (vault.audit.destinations): which carry audit records (an audit category or
#   category group: AuditEvent, audit, allLogs; a HashiCorp Vault audit device) and whether they
#   ship them anywhere. A Vault file device writing to `discard` keeps nothing and one writing to
#   `stdout` only reaches the process's own output, not a SIEM; a file device whose `file_path` was
#   not collected cannot be told apart from them.
package vaultproof.lib.audit

import rego.v1

audit_categories := {"audit", "alllogs", "auditevent"}

# Enabled destinations carrying audit records.
carries_audit(d) if {
	d.enabled == true
	some c in d.categories
	audit_categories[lower(c)]
}

# Vault's file device special paths (compared as Vault does, exactly).
unshipped_paths := {"discard", "stdout"}

# Where a destination's records go: "ships", "nowhere" (discard, stdout) or "unknown".
sink(d) := "ships" if d.type != "file"

sink(d) := "ships" if {
	d.type == "file"
	is_string(d.options.file_path)
	not unshipped_paths[d.options.file_path]
}

sink(d) := "nowhere" if {
	d.type == "file"
	unshipped_paths[d.options.file_path]
}

sink(d) := "unknown" if {
	d.type == "file"
	not file_path_known(d)
}

file_path_known(d) if is_string(d.options.file_path)
