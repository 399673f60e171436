# METADATA
# title: Every primary vault replicates to a secondary in another region
# description: |
#   Vaults replicate secrets to a secondary region (§1.2): in the fleet pass, every primary vault or
#   cluster (`role: primary`) must be the primary of at least one replication pair whose secondary
#   is in a different region. A primary that no pair names fails; one whose every secondary sits in
#   its own region fails. A region that is not known on either side (the primary's, or a secondary
#   that is not in the snapshot or has no region) is error when no other pair proves the topology:
#   an unknown region is never taken as different; so is a pair the collector was configured to
#   line up but whose secondary it could not collect. Regions are compared case-insensitively.
#   VP-REP-001 measures the lag and VP-HCV-008 the connection; this rule judges only the topology.
# custom:
#   id: VP-REP-003
#   severity: high
#   control: secrets-management §1.2
#   requirements: [SM-1.2-a]
#   metric: SecondaryInOtherRegion
#   remediation: |
#     Pair the primary with a secondary vault (Azure: a fallback vault replicated by the sync job;
#     Vault Enterprise: a performance or DR secondary cluster) deployed in another region, and
#     record the pair in the collector's configuration so vaultproof can see it.
#   references:
#     - "secrets-management §1.2: Vaults replicate secrets to a secondary region"
package vaultproof.rules.replication.secondary_in_other_region

import data.vaultproof.lib
import rego.v1

metric_name := "SecondaryInOtherRegion"

primaries contains v if {
	input.kind == "fleet"
	some v in input.vaults
	v.role == "primary"
}

# The region of a vault, lower-cased; undefined when the vault has none (absent, null or empty).
region_of(v) := lower(trim_space(r)) if {
	r := object.get(v, "region", null)
	is_string(r)
	trim_space(r) != ""
}

# The pairs the vault is the primary of.
pairs_of(v) := [p |
	some p in input.replication
	p.primary == v.id
]

secondary_of(p) := input.vaults[p.secondary]

secondary_name(p) := secondary_of(p).name

secondary_name(p) := p.secondary if not input.vaults[p.secondary]

# What is known of each secondary's region compared with the primary's: "other", "same" or "unknown".
placement(v, p) := "other" if region_of(secondary_of(p)) != region_of(v)

placement(v, p) := "same" if region_of(secondary_of(p)) == region_of(v)

placement(v, _) := "unknown" if not region_of(v)

placement(v, p) := "unknown" if {
	region_of(v)
	not region_of(object.get(input.vaults, p.secondary, {}))
}

# Pairs configured for the primary (by name) that the collection could not line up, the other side
# not collected (the engine's `unresolved_pairs`): where the secondary is, is not known.
unresolved_of(v) := [u |
	some u in object.get(input, "unresolved_pairs", {})
	lower(u.primary) == lower(v.name)
]

unresolved_placement(v) := {"unknown"} if count(unresolved_of(v)) > 0

unresolved_placement(v) := set() if count(unresolved_of(v)) == 0

placements(v) := {placement(v, p) | some p in pairs_of(v)} | unresolved_placement(v)

# No pair, and none configured either.
judge(v) := "fail" if count(placements(v)) == 0

judge(v) := "pass" if "other" in placements(v)

judge(v) := "fail" if placements(v) == {"same"}

judge(v) := "error" if {
	"unknown" in placements(v)
	not "other" in placements(v)
}

findings[out.resource.id] := out if {
	some v in primaries
	status := judge(v)
	out := lib.finding(status, lib.vault_resource(v), lib.metric(metric_name, value(status), "==", true), message(status, v))
}

value("error") := null

value("pass") := true

value("fail") := false

region_text(v) := region_of(v)

region_text(v) := "no region" if not region_of(v)

secondaries_text(v, kind) := concat(", ", sort([secondary_name(p) | some p in pairs_of(v); placement(v, p) == kind]))

unknown_text(v) := concat(", ", sort(array.concat(
	[secondary_name(p) | some p in pairs_of(v); placement(v, p) == "unknown"],
	[concat("", [u.secondary, " (configured, not collected: ", u.reason, ")"]) | some u in unresolved_of(v)],
)))

message("pass", v) := concat("", [v.name, " (", region_of(v), ") replicates to ", secondaries_text(v, "other"), " in another region"])

message("fail", v) := concat("", ["primary ", v.name, " (", region_text(v), ") has no secondary: no replication pair names it as primary"]) if count(placements(v)) == 0

message("fail", v) := concat("", ["primary ", v.name, " replicates only within its own region ", region_of(v), " (", secondaries_text(v, "same"), ")"]) if count(placements(v)) > 0

message("error", v) := concat("", ["whether primary ", v.name, " replicates to another region is not known: the primary has no region"]) if not region_of(v)

message("error", v) := concat("", [
	"whether primary ", v.name, " (", region_of(v), ") replicates to another region is not known: ",
	"the region of its secondary ", unknown_text(v), " is not known (not in the snapshot, or no region)",
]) if region_of(v)
