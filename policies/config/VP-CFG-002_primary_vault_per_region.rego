# METADATA
# title: Every region in scope has a primary vault
# description: |
#   The standard puts a primary vault (Azure Key Vault or HashiCorp Vault Enterprise) in each region.
#   Evaluated in the fleet pass over the regions in scope (`regions_in_scope` of the snapshot, taken
#   from the config); without a configured list, every region that holds a vault must also hold a
#   primary one. A region whose only vaults are secondaries (fallbacks) fails. A region where no
#   primary vault was seen while the collection was incomplete there (vault discovery failed, e.g.
#   a subscription could not be listed: the fleet input's `not_judged` names the region) is error:
#   the primary may exist among the vaults that could not be seen.
# custom:
#   id: VP-CFG-002
#   severity: high
#   control: secrets-management §1.1
#   requirements: [SM-1.1-b]
#   metric: PrimaryVaultPerRegion
#   remediation: |
#     Deploy a primary vault in the region (soft delete and purge protection on, replicating to its
#     secondary region), or remove the region from `regions_in_scope` if it is no longer served.
#   references:
#     - "secrets-management §1.1: primary vault in each region"
package vaultproof.rules.vault_config.primary_vault_per_region

import data.vaultproof.lib
import rego.v1

metric_name := "PrimaryVaultPerRegion"

regions := {r | some r in input.regions_in_scope} if count(input.regions_in_scope) > 0

regions := {v.region | some v in input.vaults} if count(object.get(input, "regions_in_scope", [])) == 0

# Primary vault names per region, computed once.
primaries[region] contains v.name if {
	some v in input.vaults
	v.role == "primary"
	region := v.region
}

findings[out.resource.id] := out if {
	input.kind == "fleet"
	some region in regions
	names := object.get(primaries, region, set())
	found := count(names) > 0
	status := judge(found, region)
	msg := message(status, region, names)
	out := lib.finding(status, resource(region), lib.metric(metric_name, value(status, found), "==", true), msg)
}

judge(true, _) := "pass"

judge(false, region) := "fail" if not unseen(region)

judge(false, region) := "error" if unseen(region)

# Why vaults of the region may have gone unseen (src/engine/unreadable-scopes.ts), if they may have.
unseen(region) := why if {
	why := input.not_judged[concat(":", ["region", region])]
	is_string(why)
}

value("error", _) := null

value(status, found) := found if status != "error"

resource(region) := {"provider": provider(region), "vault": concat(", ", sort(object.get(primaries, region, set()))), "type": "region", "id": concat(":", ["region", region]), "path": region}

# Provider of the region's primary vaults; the standard's primary technology when there is none.
provider(region) := p if {
	ps := {v.provider | some v in input.vaults; v.region == region; v.role == "primary"}
	count(ps) == 1
	some p in ps
}

provider(region) := "azure-keyvault" if {
	ps := {v.provider | some v in input.vaults; v.region == region; v.role == "primary"}
	count(ps) != 1
}

message("pass", region, names) := concat("", ["region ", region, " has primary vault(s) ", concat(", ", sort(names))])

message("fail", region, _) := concat("", ["region ", region, " is in scope but has no primary vault"])

message("error", region, _) := concat("", ["no primary vault was seen in region ", region, ", but the collection could not see every vault: ", unseen(region)])
