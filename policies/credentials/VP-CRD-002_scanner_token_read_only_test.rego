package vaultproof.rules.credentials.scanner_token_read_only_test

import data.vaultproof.rules.credentials.scanner_token_read_only as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

ro := {"token-scope": "read-only"}

test_per_tool_read_only_token_passes if {
	objs := {"t": fx.obj("t", "secret", "project/packaging/scanners/trivy", 5, {"tags": ro})}
	some f in rule.findings with input as fx.vault_input(objs)
	f.status == "pass"
	f.message == "scanner token 'project/packaging/scanners/trivy' is the read-only token of trivy"
}

test_undeclared_scope_fails if {
	objs := {"t": fx.obj("t", "secret", "project/packaging/scanners/snyk", 5, {})}
	some f in rule.findings with input as fx.vault_input(objs)
	f.status == "fail"
	f.message == "scanner token 'project/packaging/scanners/snyk': its scope is not declared read-only (tag token-scope)"
}

test_shared_token_fails if {
	objs := {"t": fx.obj("t", "secret", "project/packaging/scanners/shared", 5, {"tags": {"token-scope": "read-only", "tool": "trivy,grype"}})}
	some f in rule.findings with input as fx.vault_input(objs)
	f.status == "fail"
	f.message == "scanner token 'project/packaging/scanners/shared': 'trivy,grype' is not one known tool (trivy, grype, snyk)"
}

test_token_without_tool_fails if {
	objs := {"t": fx.obj("t", "secret", "misc", 5, {"tags": {"credential-type": "scanner-token", "token-scope": "read-only"}})}
	some f in rule.findings with input as fx.vault_input(objs)
	f.status == "fail"
	f.message == "scanner token 'misc': it names no scanning tool"
}

# Regression (issue 15): a path with `scanners` twice gave `tool` two values and aborted the rule
# (complete function with multiple outputs). The segment after the last `scanners/` names the tool.
test_path_with_scanners_twice_names_one_tool if {
	objs := {
		"t": fx.obj("t", "secret", "project/scanners/scanners/trivy", 5, {"tags": ro}),
		"u": fx.obj("u", "secret", "scanners/snyk/scanners/grype", 5, {"tags": ro}),
		"w": fx.obj("w", "secret", "project/scanners/trivy/scanners", 5, {"tags": ro}),
	}
	fx.statuses(rule.findings) == {["t", "pass"], ["u", "pass"], ["w", "pass"]} with input as fx.vault_input(objs)
	some f in rule.findings with input as fx.vault_input(objs)
	f.resource.id == "u"
	f.message == "scanner token 'scanners/snyk/scanners/grype' is the read-only token of grype"
}
