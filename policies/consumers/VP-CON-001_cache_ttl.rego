# METADATA
# title: Secret consumers pick up a new secret version within 5 minutes
# description: |
#   The standard lets a service use a cached secret while the vault is unavailable only with a TTL of
#   at most 5 minutes. For each consumer of the config's `consumers:` block, the consumers collector
#   reads its own configuration files and records how long a new secret version can take to reach it:
#   Vault Agent's `template_config.static_secret_render_interval`, Vault Proxy's
#   `cache.static_secret_token_capability_refresh_interval`, the Secrets Store CSI driver's
#   `rotationPollInterval` (rotation off: never), External Secrets Operator's
#   `spec.refreshInterval`, .NET `ReloadInterval`, Spring Cloud Azure's property source
#   `refresh-interval`. An option not set counts as the product's documented default (Agent and Proxy
#   5m, CSI driver 2m, External Secrets 1h, Spring Cloud Azure 30m; .NET: never reloaded). Azure App
#   Service / Functions Key Vault references have no refresh setting (24 h): they pass only when every
#   reference pins a secret version, so the value cannot go stale (the rotation pipeline then updates
#   the setting: not judged here). A consumer that does not cache passes with 0. A consumer whose files
#   could not be read or parsed, or whose interval could not be determined, is error. Consumers of an
#   unknown kind are VP-CON-003's.
# custom:
#   id: VP-CON-001
#   severity: high
#   control: secrets-management §6 (vault service unavailable)
#   metric: CachedSecretTtlSeconds
#   settings:
#     - thresholds.consumer_cache_ttl_seconds
#   requirements:
#     - SM-6-a
#   remediation: |
#     Set the consumer's refresh to 5 minutes or less: Vault Agent `template_config {
#     static_secret_render_interval = "5m" }`; CSI driver `enableSecretRotation: true` and
#     `rotationPollInterval: 2m`; ExternalSecret `spec.refreshInterval: 5m`; .NET
#     `ReloadInterval = TimeSpan.FromMinutes(5)`; Spring `refresh-interval: 5m`; App Service: pin each
#     Key Vault reference to a secret version and let the rotation pipeline update it.
#   references:
#     - "secrets-management §6: use cached secret (when allowed) with TTL ≤ 5 minutes"
#     - "Vault Agent template_config: static_secret_render_interval (default 5m)"
#     - "Secrets Store CSI driver: secret auto rotation, --rotation-poll-interval (default 2m)"
#     - "External Secrets Operator: ExternalSecret spec.refreshInterval (default 1h)"
#     - "App Service: Key Vault references are re-fetched every 24 hours unless versioned"
package vaultproof.rules.consumers.cache_ttl

import data.vaultproof.lib
import data.vaultproof.lib.consumers
import rego.v1

metric_name := "CachedSecretTtlSeconds"

limit := data.config.thresholds.consumer_cache_ttl_seconds

findings[out.resource.id] := out if {
	some id, c in consumers.known
	r := object.get(c, "refresh", {})
	status := judge(c, r)
	out := lib.finding(status, consumers.resource(id, c), lib.metric(metric_name, value(status, r), "<=", limit), message(status, id, c, r))
}

judge(c, _) := "error" if consumers.unreadable(c)

judge(c, r) := "error" if {
	not consumers.unreadable(c)
	not object.get(r, "basis", "unknown") in {"never", "configured", "default", "no-cache", "pinned"}
}

judge(c, r) := "fail" if {
	not consumers.unreadable(c)
	object.get(r, "basis", "unknown") == "never"
}

judge(c, r) := status if {
	not consumers.unreadable(c)
	object.get(r, "basis", "unknown") in {"configured", "default", "no-cache", "pinned"}
	s := object.get(r, "seconds", null)
	status := seconds_status(s)
}

seconds_status(s) := "pass" if {
	is_number(s)
	s <= limit
}

seconds_status(s) := "fail" if {
	is_number(s)
	s > limit
}

seconds_status(s) := "error" if not is_number(s)

value("error", _) := null

value("fail", r) := "never" if r.basis == "never"

value(status, r) := r.seconds if {
	status != "error"
	r.basis != "never"
}

basis_text(r) := " (the product's documented default: the option is not set)" if r.basis == "default"

basis_text(r) := "" if r.basis != "default"

message("error", id, c, _) := concat("", [consumers.label(id, c), " not judged: ", consumers.unreadable(c)]) if consumers.unreadable(c)

message("error", id, c, r) := concat("", [consumers.label(id, c), ": how long it keeps a secret is unknown: ", object.get(r, "detail", "no refresh recorded")]) if not consumers.unreadable(c)

message("fail", id, c, r) := concat("", [consumers.label(id, c), " never refreshes its secrets (", setting(r), "): ", detail(r)]) if r.basis == "never"

message("fail", id, c, r) := concat("", [consumers.label(id, c), " may serve a secret ", format_int(r.seconds, 10), " s after a new version", basis_text(r), ", more than ", format_int(limit, 10), " s (", setting(r), "): ", detail(r)]) if r.basis != "never"

message("pass", id, c, r) := concat("", [consumers.label(id, c), " picks up a new secret version within ", format_int(r.seconds, 10), " s", basis_text(r), " (", setting(r), "): ", detail(r)])

setting(r) := s if {
	s := object.get(r, "setting", "")
	is_string(s)
}

detail(r) := d if {
	d := object.get(r, "detail", "")
	is_string(d)
}
