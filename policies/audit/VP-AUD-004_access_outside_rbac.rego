# METADATA
# title: Access attempts outside RBAC are raised for the SIEM
# description: |
#   Any attempt to access a vault outside the defined RBAC results in a SIEM alert. Per vault, from
#   the `audit` event facts: denied requests (Vault "permission denied", Azure 403) in the window
#   fail with the principals and paths involved, so the finding itself is the alert. A vault whose
#   audit log was not read yields error.
# custom:
#   id: VP-AUD-004
#   severity: high
#   control: secrets-management §7.2
#   requirements: [SM-7.2-a]
#   metric: AccessOutsideRbac
#   remediation: |
#     Investigate each denied principal/path: a misconfigured client gets the right grant through
#     the access request process; anything else is a security incident (rotate what it targeted).
#   references:
#     - "secrets-management §7.2: access to vault/* outside defined RBAC results in SIEM alert"
package vaultproof.rules.audit.access_outside_rbac

import data.vaultproof.lib
import data.vaultproof.lib.events
import rego.v1

metric_name := "AccessOutsideRbac"

findings[out.resource.id] := out if {
	v := input.vault
	a := events.section("audit")[v.id]
	status := lib.status_le(a.denied_requests, 0)
	msg := message(a)
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, a.denied_requests, "==", 0), msg)
}

findings[out.resource.id] := out if {
	v := input.vault
	not audited(v)
	msg := concat("", ["denied requests cannot be checked: ", reason])
	out := lib.finding("error", lib.vault_resource(v), lib.metric(metric_name, null, "==", 0), msg)
}

audited(v) if events.section("audit")[v.id]

reason := events.missing_reason("audit") if not events.section("audit")

reason := "no audit log of this vault was read" if events.section("audit")

message(a) := "no request was denied in the window" if a.denied_requests == 0

message(a) := concat("", [
	lib.num_str(a.denied_requests), " denied request(s): ", concat(", ", array.slice(top, 0, 3)), more(count(top)),
]) if {
	a.denied_requests > 0
	ranked := sort([[0 - d.count, k] | some k, d in a.denied])
	top := [concat("", [a.denied[k].principal, " on ", a.denied[k].path, " (", lib.num_str(a.denied[k].count), ")"]) | some [_, k] in ranked]
}

more(n) := "" if n <= 3

more(n) := concat("", [" and ", lib.num_str(n - 3), " more"]) if n > 3
