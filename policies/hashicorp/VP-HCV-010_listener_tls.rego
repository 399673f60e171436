# METADATA
# title: Vault listeners require TLS 1.2 or later, and cluster traffic uses https
# description: |
#   Vault's API carries tokens and secret values: a TCP listener with `tls_disable` sends them in
#   clear text, and one whose `tls_min_version` is `tls10` or `tls11` accepts protocol versions with
#   known weaknesses. Every TCP listener in the server configuration (`sys/config/state/sanitized`)
#   must keep TLS on with a minimum of TLS 1.2 (Vault's default when unset), and the cluster
#   address (`cluster_addr`, server-to-server traffic) must use the https scheme when one is set.
#   Unix socket listeners are local and not judged. A server configuration that could not be read
#   yields error.
# custom:
#   id: VP-HCV-010
#   severity: high
#   control: HashiCorp Vault production hardening (peer); secrets-management §1 (transport encryption)
#   requirements: []
#   beyond_standard: true
#   metric: ListenerTlsProblems
#   settings: []
#   remediation: |
#     In each `listener "tcp"` block remove `tls_disable` (or set it false), configure
#     `tls_cert_file`/`tls_key_file` and `tls_min_version = "tls12"` (or `tls13`); set
#     `cluster_addr = "https://<node>:8201"`. Restart each node in turn.
#   references:
#     - "Vault production hardening: end-to-end TLS"
#     - "Vault configuration: tcp listener tls_disable, tls_min_version"
package vaultproof.rules.hashicorp.listener_tls

import data.vaultproof.lib
import rego.v1

metric_name := "ListenerTlsProblems"

weak_versions := {"tls10", "tls11"}

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "hashicorp-vault"
	cfg := v.hashicorp.server_config
	is_array(cfg.listeners)
	problems := {p | some l in cfg.listeners; p := listener_problem(l)} | {p | p := cluster_problem(cfg)}
	status := lib.status_le(count(problems), 0)
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, count(problems), "<=", 0), message(cfg, problems))
}

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "hashicorp-vault"
	not config_known(v)
	out := lib.finding("error", lib.vault_resource(v), lib.metric(metric_name, null, "<=", 0), "the server configuration (sys/config/state/sanitized) could not be read")
}

config_known(v) if is_array(v.hashicorp.server_config.listeners)

listener_problem(l) := concat("", ["listener ", name(l), " has TLS disabled"]) if {
	l.type == "tcp"
	l.tls_disable == true
}

listener_problem(l) := concat("", ["listener ", name(l), " accepts ", l.tls_min_version]) if {
	l.type == "tcp"
	l.tls_disable == false
	l.tls_min_version in weak_versions
}

cluster_problem(cfg) := concat("", ["cluster address ", cfg.cluster_addr, " is not https"]) if {
	is_string(cfg.cluster_addr)
	not startswith(lower(cfg.cluster_addr), "https://")
}

name(l) := l.address if is_string(l.address)

name(l) := "(no address)" if not is_string(l.address)

tcp_count(cfg) := count([l | some l in cfg.listeners; l.type == "tcp"])

message(cfg, problems) := concat("", [lib.num_str(tcp_count(cfg)), " TCP listener(s) require TLS 1.2 or later", cluster_note(cfg)]) if count(problems) == 0

message(_, problems) := concat("; ", sort(problems)) if count(problems) > 0

cluster_note(cfg) := "; the cluster address uses https" if is_string(cfg.cluster_addr)

cluster_note(cfg) := "; no cluster address is set" if not is_string(cfg.cluster_addr)
