package vaultproof.rules.hashicorp.audit_device_options_test

import data.vaultproof.rules.hashicorp.audit_device_options as options
import data.vaultproof.test.fixtures as fx
import rego.v1

headers := {"x-correlation-id": {"hmac": false}, "user-agent": {"hmac": false}}

hashi(extra) := object.union(fx.hashi_vault({}).hashicorp, object.union({"audited_request_headers": headers}, extra))

file_device(opts) := {"id": "file/", "type": "file", "enabled": true, "categories": ["audit"], "retention_days": null, "options": opts}

syslog := {"id": "syslog/", "type": "syslog", "enabled": true, "categories": ["audit"], "retention_days": 730, "options": {"log_raw": "false", "hmac_accessor": "true"}}

inp(dests, extra) := fx.hashi_input({"audit": {"destinations": dests}, "hashicorp": hashi(extra)})

# Exactly these audited headers (object.union would merge them into the default ones).
with_headers(h) := fx.hashi_input({"audit": {"destinations": [syslog]}, "hashicorp": object.union(fx.hashi_vault({}).hashicorp, {"audited_request_headers": h})})

only(findings) := f if {
	count(findings) == 1
	some f in findings
}

test_durable_hashed_devices_and_audited_header_pass if {
	f := only(options.findings) with input as inp([file_device({"file_path": "/var/log/vault/audit.log"}), syslog], {})
	f.status == "pass"
	f.metric.value == 0
	f.message == "2 enabled audit device(s) keep a hashed, durable trail; the correlation header x-correlation-id is audited"
	# the collected header name is used (lower-cased, as Vault matches it)
	g := only(options.findings) with input as inp([syslog], {"correlation_header": "X-Request-Id", "audited_request_headers": {"x-request-id": {"hmac": false}}})
	g.status == "pass"
}

test_unsafe_options_fail if {
	dests := [
		file_device({"file_path": "stdout", "log_raw": "true"}),
		{"id": "blackhole/", "type": "file", "enabled": true, "categories": ["audit"], "retention_days": null, "options": {"file_path": "discard", "hmac_accessor": "false"}},
		object.union(syslog, {"id": "off/", "enabled": false, "options": {"log_raw": "1"}}),
	]
	f := only(options.findings) with input as inp(dests, {})
	f.status == "fail"
	f.metric.value == 4
	f.message == "audit device blackhole/ logs token accessors in clear (hmac_accessor=false); audit device blackhole/ writes to discard; audit device file/ logs raw values (log_raw); audit device file/ writes to stdout"
}

test_correlation_header_not_audited_or_hmacd_fails if {
	f := only(options.findings) with input as with_headers({"user-agent": {"hmac": false}})
	f.status == "fail"
	f.message == "the correlation header x-correlation-id is not audited"
	g := only(options.findings) with input as with_headers({"x-correlation-id": {"hmac": true}})
	g.status == "fail"
	g.message == "the correlation header x-correlation-id is audited HMAC'd (its value cannot be matched)"
}

# First law: what was not read never passes (and a problem among what was read still fails).
test_unread_parts_are_error if {
	f := only(options.findings) with input as inp(null, {})
	f.status == "error"
	f.metric.value == null
	f.message == "could not be read: the audit devices (sys/audit)"
	g := only(options.findings) with input as inp([syslog], {"audited_request_headers": null})
	g.status == "error"
	g.message == "could not be read: the audited request headers (sys/config/auditing/request-headers)"
	h := only(options.findings) with input as fx.hashi_input({})
	h.status == "error"
	no_options := object.remove(file_device({}), ["options"])
	i := only(options.findings) with input as inp([no_options], {})
	i.status == "error"
	i.message == "could not be read: the options of audit device file/"
	j := only(options.findings) with input as inp([no_options, file_device({"file_path": "discard"})], {"audited_request_headers": null})
	j.status == "fail"
}

test_azure_vaults_are_not_judged if {
	count(options.findings) == 0 with input as fx.vault_input({})
}
