package vaultproof.rules.review.principal_in_roster_test

import data.vaultproof.rules.review.principal_in_roster as rule
import data.vaultproof.test.fixtures as fx
import rego.v1

principals := {
	"app": fx.principal("app", "jamf", ["certificate"], []),
	"user": object.union(fx.principal("user", null, ["password"], ["team"]), {"display_name": "U. Ser", "type": "user"}),
	"team": object.union(fx.principal("team", null, [], []), {"type": "group"}),
	"spare": fx.principal("spare", null, [], []),
}

grants := {
	"g1": fx.grant("g1", "app", "*", ["read-value"]),
	"g2": fx.grant("g2", "team", "*", ["list"]),
}

fleet := {"kind": "fleet", "now": fx.now, "vaults": {}, "principals": principals, "grants": grants, "events": null}

config(roster) := object.union(data.config, {"review": {"roster": roster}})

test_holders_on_the_roster_by_id_or_name_pass if {
	fx.statuses(rule.findings) == {["app", "pass"], ["user", "pass"], ["team", "pass"]} with input as fleet
		with data.config as config(["app", "U. Ser", "team"])
	some f in rule.findings with input as fleet with data.config as config(["app", "U. Ser", "team"])
	f.resource.id == "user"
	f.metric == {"name": "PrincipalInRoster", "value": true, "op": "==", "threshold": true}
	f.message == "'U. Ser' is on the roster"
}

test_holder_missing_from_the_roster_fails if {
	some f in rule.findings with input as fleet with data.config as config(["app"])
	f.resource.id == "team"
	f.status == "fail"
	f.metric.value == false
	f.message == "'team' (group, team) holds access but is not on the roster"
}

test_no_roster_judges_nothing if {
	count(rule.findings) == 0 with input as fleet
}
