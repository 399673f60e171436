# METADATA
# title: Every configured secret consumer is of a kind vaultproof can judge
# description: |
#   A consumer listed in the config's `consumers:` block is judged by VP-CON-001 and VP-CON-002 only
#   when its kind is known: named with `kind:` or detected from its files (Vault Agent, Vault Proxy,
#   Secrets Store CSI driver, External Secrets Operator, Azure App Service Key Vault references,
#   .NET Key Vault configuration provider, Spring Cloud Azure Key Vault). A consumer whose files are of
#   no known kind (or of several, or unreadable before its kind could be told) is listed here as
#   unjudged: `error`, never a pass, so the gate fails closed on it. This rule reports pass (kind
#   known) or error (unjudged); it has no failing state.
# custom:
#   id: VP-CON-003
#   severity: high
#   control: secrets-management §6 (vault service unavailable)
#   metric: ConsumerKindKnown
#   requirements:
#     - SM-6-a
#     - SM-6-b
#   remediation: |
#     Name the consumer's kind with `kind:` (docs/consumers.md lists the kinds and the files each is
#     read from), point `paths:` at its configuration files, or, for a product vaultproof does not
#     read, record its cache TTL and fallback as a waiver with an expiry until a reader exists.
#   references:
#     - "secrets-management §6: vault service unavailable"
package vaultproof.rules.consumers.consumer_kind_known

import data.vaultproof.lib
import data.vaultproof.lib.consumers
import rego.v1

metric_name := "ConsumerKindKnown"

findings[out.resource.id] := out if {
	some id, c in consumers.all
	known := object.get(c, "kind", "unknown") != "unknown"
	status := judge(known)
	out := lib.finding(status, consumers.resource(id, c), lib.metric(metric_name, value(known), "==", true), message(known, id, c))
}

judge(true) := "pass"

judge(false) := "error"

value(true) := true

value(false) := null

message(true, id, c) := concat("", ["consumer '", id, "' is of kind ", object.get(c, "kind", ""), " (", object.get(c, "kind_source", "detected"), "), judged by VP-CON-001 and VP-CON-002"])

message(false, id, c) := concat("", ["consumer '", id, "' is unjudged: ", reason(c)])

reason(c) := e if {
	e := object.get(c, "error", null)
	is_string(e)
}

reason(c) := "its kind is unknown" if not is_string(object.get(c, "error", null))
