# METADATA
# title: Grants that reach credential data are scoped below the subsystem level
# description: |
#   Every grant reaching data (read value, sign, decrypt, write, delete, purge) is judged by its
#   scope: it fails when the scope globs (`*`, `+`) at or above the subsystem level (`*`,
#   `secret/*`, `secret/project/*`; an Azure access policy always covers the whole vault) and its
#   principal is not a platform admin (`admin_subsystems`, directly or through a group). A scope
#   confined to one subsystem (`project/<subsystem>/...`) passes. Shown in the access review.
# custom:
#   id: VP-REV-003
#   severity: medium
#   control: secrets-management §1.4, §3
#   requirements: [SM-1.4-b, SM-3-e, SM-3-f]
#   metric: WildcardGrant
#   settings:
#     - thresholds.admin_subsystems
#   remediation: >-
#     Replace the vault-wide or mount-wide grant with one per subsystem path (Vault policy path
#     `<mount>/data/project/<subsystem>/*`, or an RBAC assignment on a dedicated vault).
#   references:
#     - "secrets-management §1.4: credentials are scoped to their subsystem"
#     - "secrets-management §3: monthly VaultAccessReview ensures least privilege"
package vaultproof.rules.review.wildcard_grant

import data.vaultproof.lib
import data.vaultproof.lib.access
import rego.v1

metric_name := "WildcardGrant"

# Grants reaching data whose principal is in the snapshot.
data_grants[g.id] := [g, p] if {
	some g in input.grants
	access.touches_data(g)
	p := input.principals[g.principal]
}

findings[out.resource.id] := out if {
	some [g, p] in data_grants
	not access.wildcard_scope(g.scope)
	msg := concat("", ["'", p.display_name, "' reaches data through the scoped path '", g.scope, "'"])
	out := lib.finding("pass", access.grant_resource(input.vault, g), lib.metric(metric_name, false, "==", false), msg)
}

findings[out.resource.id] := out if {
	some [g, p] in data_grants
	access.wildcard_scope(g.scope)
	access.is_admin(p, input.principals)
	msg := concat("", ["platform admin '", p.display_name, "' holds the wildcard grant '", g.scope, "' by design"])
	out := lib.finding("pass", access.grant_resource(input.vault, g), lib.metric(metric_name, false, "==", false), msg)
}

findings[out.resource.id] := out if {
	some [g, p] in data_grants
	access.wildcard_scope(g.scope)
	not access.is_admin(p, input.principals)
	reached := count([o | some o in input.vault.objects; access.covers(g, o)])
	msg := concat("", ["'", p.display_name, "' reaches ", format_int(reached, 10), " object(s) through the wildcard grant '", g.scope, "'", how(g)])
	out := lib.finding("fail", access.grant_resource(input.vault, g), lib.metric(metric_name, true, "==", false), msg)
}

how(g) := " (an access policy always covers the whole vault)" if g.source == "access-policy"

how(g) := "" if g.source != "access-policy"
