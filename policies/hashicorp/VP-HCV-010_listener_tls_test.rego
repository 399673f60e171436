package vaultproof.rules.hashicorp.listener_tls_test

import data.vaultproof.rules.hashicorp.listener_tls as tls
import data.vaultproof.test.fixtures as fx
import rego.v1

tls_listener := {"type": "tcp", "address": "0.0.0.0:8200", "tls_disable": false, "tls_min_version": null}

server(listeners, cluster_addr) := {"server_config": {"listeners": listeners, "cluster_addr": cluster_addr, "api_addr": "https://hv.vault.internal:8200"}}

with_server(listeners, cluster_addr) := fx.hashi_input({"hashicorp": object.union(fx.hashi_vault({}).hashicorp, server(listeners, cluster_addr))})

only(findings) := f if {
	count(findings) == 1
	some f in findings
}

test_tls_on_with_https_cluster_address_passes if {
	f := only(tls.findings) with input as with_server([tls_listener, object.union(tls_listener, {"address": "10.0.0.5:8210", "tls_min_version": "tls13"}), {"type": "unix", "address": "/run/vault.sock", "tls_disable": false, "tls_min_version": null}], "https://hv-1.vault.internal:8201")
	f.status == "pass"
	f.metric.value == 0
	f.message == "2 TCP listener(s) require TLS 1.2 or later; the cluster address uses https"
	g := only(tls.findings) with input as with_server([object.union(tls_listener, {"tls_min_version": "tls12"})], null)
	g.status == "pass"
	g.message == "1 TCP listener(s) require TLS 1.2 or later; no cluster address is set"
}

test_plaintext_weak_tls_and_http_cluster_address_fail if {
	listeners := [
		object.union(tls_listener, {"tls_disable": true}),
		object.union(tls_listener, {"address": "10.0.0.5:8210", "tls_min_version": "tls10"}),
		object.union(tls_listener, {"address": "10.0.0.6:8210", "tls_min_version": "tls11"}),
	]
	f := only(tls.findings) with input as with_server(listeners, "http://hv-1.vault.internal:8201")
	f.status == "fail"
	f.metric.value == 4
	f.message == "cluster address http://hv-1.vault.internal:8201 is not https; listener 0.0.0.0:8200 has TLS disabled; listener 10.0.0.5:8210 accepts tls10; listener 10.0.0.6:8210 accepts tls11"
	g := only(tls.findings) with input as with_server([tls_listener], "hv-1.vault.internal:8201")
	g.status == "fail"
	g.message == "cluster address hv-1.vault.internal:8201 is not https"
}

# A plaintext unix socket is local: not judged.
test_unix_socket_is_not_judged if {
	f := only(tls.findings) with input as with_server([{"type": "unix", "address": "/run/vault.sock", "tls_disable": true, "tls_min_version": null}], null)
	f.status == "pass"
	f.message == "0 TCP listener(s) require TLS 1.2 or later; no cluster address is set"
}

# First law: a configuration that was not read (null, or absent in an older snapshot) never passes.
test_unread_configuration_is_error if {
	f := only(tls.findings) with input as with_server(null, null)
	f.status == "error"
	f.metric.value == null
	g := only(tls.findings) with input as fx.hashi_input({"hashicorp": object.union(fx.hashi_vault({}).hashicorp, {"server_config": null})})
	g.status == "error"
	g.message == "the server configuration (sys/config/state/sanitized) could not be read"
	h := only(tls.findings) with input as fx.hashi_input({})
	h.status == "error"
}

test_azure_vaults_are_not_judged if {
	count(tls.findings) == 0 with input as fx.vault_input({})
}
