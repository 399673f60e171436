package vaultproof.rules.consumers.cache_ttl_test

import data.vaultproof.rules.consumers.cache_ttl as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

consumer(kind, refresh) := {
	"id": "payments", "name": "payments", "kind": kind, "files": ["agent.hcl"],
	"provider": "hashicorp-vault", "vaults": ["https://vault-weu:8200"], "refresh": refresh,
	"fallback": {"supported": true, "detail": "x"},
}

fleet(cs) := {"kind": "fleet", "now": fx.now, "vaults": {}, "replication": {}, "consumers": cs}

only(fs) := f if {
	count(fs) == 1
	some f in fs
}

test_render_interval_within_five_minutes_passes if {
	c := consumer("vault-agent", {"seconds": 120, "basis": "configured", "setting": "template_config.static_secret_render_interval", "detail": "agent.hcl: 1 template(s) re-rendered every 2 min"})
	f := only(rule.findings) with input as fleet({"payments": c})
	f.status == "pass"
	f.metric == {"name": "CachedSecretTtlSeconds", "value": 120, "op": "<=", "threshold": 300}
	f.resource == {"provider": "hashicorp-vault", "vault": "https://vault-weu:8200", "type": "consumer", "id": "consumer:payments", "path": "agent.hcl"}
}

test_documented_default_is_stated if {
	c := consumer("vault-agent", {"seconds": 300, "basis": "default", "setting": "template_config.static_secret_render_interval", "detail": "not set"})
	f := only(rule.findings) with input as fleet({"payments": c})
	f.status == "pass"
	contains(f.message, "documented default")
}

test_longer_refresh_fails if {
	c := consumer("external-secrets", {"seconds": 3600, "basis": "default", "setting": "spec.refreshInterval", "detail": "default 1h"})
	f := only(rule.findings) with input as fleet({"payments": c})
	f.status == "fail"
	f.metric.value == 3600
	contains(f.message, "3600 s after a new version")
}

test_never_refreshing_fails if {
	c := consumer("dotnet-keyvault", {"seconds": null, "basis": "never", "setting": "KeyVault:ReloadInterval", "detail": "loaded once"})
	f := only(rule.findings) with input as fleet({"payments": c})
	f.status == "fail"
	f.metric.value == "never"
}

test_pinned_references_pass if {
	c := consumer("azure-app-service", {"seconds": 0, "basis": "pinned", "setting": "SecretVersion", "detail": "all pinned"})
	only(rule.findings).status == "pass" with input as fleet({"payments": c})
}

test_threshold_from_config if {
	c := consumer("vault-agent", {"seconds": 120, "basis": "configured", "setting": "s", "detail": "d"})
	only(rule.findings).status == "fail" with input as fleet({"payments": c}) with data.config.thresholds.consumer_cache_ttl_seconds as 60
}

test_unknown_interval_is_error if {
	c := consumer("csi-secrets-store", {"seconds": null, "basis": "unknown", "setting": "rotationPollInterval", "detail": "driver settings not among the files"})
	f := only(rule.findings) with input as fleet({"payments": c})
	f.status == "error"
	f.metric.value == null
}

test_missing_refresh_is_error if {
	c := object.remove(consumer("vault-agent", {}), ["refresh"])
	only(rule.findings).status == "error" with input as fleet({"payments": c})
}

test_missing_seconds_is_error if {
	c := consumer("vault-agent", {"basis": "configured", "setting": "s", "detail": "d"})
	only(rule.findings).status == "error" with input as fleet({"payments": c})
}

test_parse_error_is_error if {
	c := object.union(consumer("vault-agent", {"seconds": null, "basis": "unknown", "setting": "", "detail": ""}), {"error": "agent.hcl:4: invalid HCL"})
	f := only(rule.findings) with input as fleet({"payments": c})
	f.status == "error"
	contains(f.message, "agent.hcl:4")
}

test_unknown_kind_is_left_to_con_003 if {
	c := object.union(consumer("unknown", {"seconds": null, "basis": "unknown", "setting": "", "detail": ""}), {"provider": null})
	count(rule.findings) == 0 with input as fleet({"payments": c})
}

test_no_consumers_collected_yields_nothing if {
	count(rule.findings) == 0 with input as {"kind": "fleet", "now": fx.now, "vaults": {}, "replication": {}, "consumers": null}
	count(rule.findings) == 0 with input as {"kind": "fleet", "now": fx.now, "vaults": {}, "replication": {}}
}

test_vault_shard_yields_nothing if {
	c := consumer("vault-agent", {"seconds": 120, "basis": "configured", "setting": "s", "detail": "d"})
	count(rule.findings) == 0 with input as {"kind": "vault", "consumers": {"payments": c}}
}

test_missing_kind_is_error_not_dropped if {
	c := object.remove(consumer("vault-agent", {"seconds": 120, "basis": "configured", "setting": "s", "detail": "d"}), ["kind"])
	f := only(rule.findings) with input as fleet({"payments": c})
	f.status == "error"
	contains(f.message, "its kind is not recorded")
}

test_missing_detail_keeps_the_finding if {
	c := consumer("vault-agent", {"seconds": 120, "basis": "configured"})
	only(rule.findings).status == "pass" with input as fleet({"payments": c})
}
