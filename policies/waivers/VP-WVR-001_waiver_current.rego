# METADATA
# title: Waivers in force have not expired
# description: |
#   A waiver suspends a failing finding until its expiry date. Once the date has passed, the
#   finding it covered fails again and this rule reports the expired waiver, one finding per waived
#   resource, so the CAB sees which exceptions lapsed. Evaluated on the waiver file's entries that
#   matched a finding of the scan.
# custom:
#   id: VP-WVR-001
#   severity: high
#   control: vaultproof waiver policy (reason, approver, expiry ≤ 90 days)
#   requirements: []
#   beyond_standard: true
#   metric: WaiverDaysToExpiry
#   remediation: |
#     Fix the underlying finding, or renew the waiver with a new reason, approver and an expiry at
#     most 90 days out.
#   references:
#     - "DESIGN §8.5: waivers need a reason, an approver and an expiry"
package vaultproof.rules.waivers.waiver_current

import data.vaultproof.lib
import rego.v1

findings[out.resource.id] := out if {
	input.kind == "waivers"
	some i, w in input.waivers
	some m in w.matched
	covering := covering_waivers(m.id, w.rule_id)
	i == in_force_index(covering)
	days_left := days_to_expiry(w.expires_epoch, input.now)
	status := expiry_status(days_left)
	resource := {
		"provider": m.provider,
		"vault": m.vault,
		"type": "policy",
		"id": concat("#", [m.id, w.rule_id]),
		"path": w.resource,
	}
	msg := concat("", [message(w, days_left), overlap_note(count(covering))])
	out := lib.finding(status, resource, lib.metric("WaiverDaysToExpiry", days_left, ">=", 0), msg)
}

# Renewed or overlapping waivers of one finding (e.g. an expired entry kept above its renewal):
# index -> expiry of every waiver of `rule` that matched the finding `id`.
covering_waivers(id, rule) := {j: x.expires_epoch |
	some j, x in input.waivers
	x.rule_id == rule
	some n in x.matched
	n.id == id
}

# The waiver that decides the finding: the one expiring last (the one in force if any is), the first
# of those on a tie, so one finding is reported whatever the order of the file.
in_force_index(covering) := min({j | some j, e in covering; e == max({e2 | some e2 in covering})})

overlap_note(n) := "" if n == 1

overlap_note(n) := concat("", ["; ", lib.num_str(n), " waivers cover this finding (renewed or overlapping): the one expiring last decides"]) if n > 1

# Whole days from now until the end of the expiry day; negative once it has passed.
days_to_expiry(expires, now) := floor((expires - now) / lib.seconds_per_day)

expiry_status(d) := "pass" if d >= 0

expiry_status(d) := "fail" if d < 0

message(w, d) := concat("", ["waiver of ", w.rule_id, " expires on ", w.expires, " (", lib.num_str(d), " days left)"]) if d >= 0

message(w, d) := concat("", ["waiver of ", w.rule_id, " expired on ", w.expires, "; the finding it covered fails again"]) if d < 0
