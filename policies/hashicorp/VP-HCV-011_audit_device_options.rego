# METADATA
# title: Vault audit devices keep a hashed, durable trail that records the correlation id
# description: |
#   An audit device only makes evidence when it writes somewhere durable and does not itself leak
#   what it records. Each enabled HashiCorp Vault audit device must not write to `discard` or
#   `stdout` (`file_path`), must not set `log_raw` (tokens and values in clear text) and must not
#   set `hmac_accessor=false` (token accessors in clear text); and the request header that carries
#   the correlation id (`correlation_header` as collected: the events config's, default
#   `x-correlation-id`) must be an audited request header (`sys/config/auditing/request-headers`)
#   without HMAC, so audit entries can be tied to changes and scans. Audit devices, their options or
#   the audited headers that could not be read yield error.
# custom:
#   id: VP-HCV-011
#   severity: medium
#   control: HashiCorp Vault production hardening (peer); secrets-management §1.5 (audit trail), §6 (correlation id)
#   requirements: [SM-0-e, SM-1.5-b, SM-5-a, SM-7.3-a]
#   metric: AuditOptionProblems
#   settings: []
#   remediation: |
#     Re-enable the device on a durable target without the unsafe options
#     (`vault audit enable -path=file file file_path=/var/log/vault/audit.log`; `log_raw` and
#     `hmac_accessor` left at their defaults), and audit the correlation header:
#     `vault write sys/config/auditing/request-headers/x-correlation-id hmac=false`.
#   references:
#     - "Vault production hardening: enable auditing (audit device options file_path, log_raw, hmac_accessor)"
#     - "Vault API: sys/config/auditing/request-headers"
package vaultproof.rules.hashicorp.audit_device_options

import data.vaultproof.lib
import rego.v1

metric_name := "AuditOptionProblems"

default_correlation_header := "x-correlation-id"

# Go's strconv.ParseBool, as Vault reads these options.
true_strings := {"1", "t", "T", "true", "TRUE", "True"}

false_strings := {"0", "f", "F", "false", "FALSE", "False"}

unshipped_paths := {"discard", "stdout"}

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "hashicorp-vault"
	problems := {p | some p in device_problems(v)} | {p | some p in header_problems(v)}
	unread := {u | some u in unread_parts(v)}
	status := judge(count(problems), count(unread))
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, value(status, count(problems)), "<=", 0), message(status, v, problems, unread))
}

judge(problems, _) := "fail" if problems > 0

judge(0, unread) := "error" if unread > 0

judge(0, 0) := "pass"

value("error", _) := null

value(status, n) := n if status != "error"

devices(v) := [d | some d in v.audit.destinations; d.enabled == true]

device_problems(v) := {p |
	some d in devices(v)
	some p in problems_of(d)
}

problems_of(d) := {p | p := unshipped(d)} | {p | p := raw(d)} | {p | p := clear_accessor(d)}

unshipped(d) := concat("", ["audit device ", d.id, " writes to ", d.options.file_path]) if {
	d.type == "file"
	unshipped_paths[d.options.file_path]
}

raw(d) := concat("", ["audit device ", d.id, " logs raw values (log_raw)"]) if true_strings[d.options.log_raw]

clear_accessor(d) := concat("", ["audit device ", d.id, " logs token accessors in clear (hmac_accessor=false)"]) if false_strings[d.options.hmac_accessor]

correlation_header(v) := lower(h) if {
	h := object.get(v.hashicorp, "correlation_header", null)
	is_string(h)
}

correlation_header(v) := default_correlation_header if not is_string(object.get(v.hashicorp, "correlation_header", null))

headers_read(v) if is_object(v.hashicorp.audited_request_headers)

devices_read(v) if is_array(v.audit.destinations)

options_read(d) if is_object(d.options)

header_problems(v) := {p |
	headers_read(v)
	h := correlation_header(v)
	not v.hashicorp.audited_request_headers[h]
	p := concat("", ["the correlation header ", h, " is not audited"])
} | {p |
	headers_read(v)
	h := correlation_header(v)
	v.hashicorp.audited_request_headers[h].hmac == true
	p := concat("", ["the correlation header ", h, " is audited HMAC'd (its value cannot be matched)"])
}

unread_parts(v) := {"the audit devices (sys/audit)" | not devices_read(v)} | {"the audited request headers (sys/config/auditing/request-headers)" | not headers_read(v)} | {u |
	some d in devices(v)
	not options_read(d)
	u := concat("", ["the options of audit device ", d.id])
}

message("pass", v, _, _) := concat("", [lib.num_str(count(devices(v))), " enabled audit device(s) keep a hashed, durable trail; the correlation header ", correlation_header(v), " is audited"])

message("fail", _, problems, _) := concat("; ", sort(problems))

message("error", _, _, unread) := concat("", ["could not be read: ", concat(", ", sort(unread))])
