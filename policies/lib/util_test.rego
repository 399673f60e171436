package vaultproof.lib.util_test

import data.vaultproof.lib
import data.vaultproof.test.fixtures as fx
import rego.v1

test_days_between_floors_and_never_goes_negative if {
	lib.days_between(0, 86399) == 0
	lib.days_between(0, 86400 * 3 + 5) == 3
	lib.days_between(100, 50) == 0
}

test_num_str_is_exact_for_integers_and_one_decimal_otherwise if {
	lib.num_str(42) == "42"
	lib.num_str(2.5) == "2.5"
	lib.num_str(2.04) == "2.0"
	lib.num_str(-1.25) == "-1.3"
}

test_current_version_falls_back_to_object_dates if {
	o := fx.obj("x", "secret", "p", 5, {"current_version": "missing"})
	lib.last_rotated(o) == fx.days_ago(5)
}

test_subsystem_from_vault_when_path_has_none if {
	v := fx.azure_vault({"subsystem": "cab"})
	data.vaultproof.lib.classification.subsystem_of(v, fx.obj("x", "secret", "flat-name", 1, {})) == "cab"
	data.vaultproof.lib.classification.subsystem_of(v, fx.obj("x", "secret", "project/packaging/a", 1, {})) == "packaging"
	data.vaultproof.lib.classification.subsystem_of(v, fx.obj("x", "secret", "project/connectors/jamf/a", 1, {})) == "connectors/jamf"
	data.vaultproof.lib.classification.subsystem_of(v, fx.obj("x", "secret", "a", 1, {"tags": {"subsystem": "x"}})) == "x"
}

test_subsystem_from_path_below_a_mount if {
	v := fx.azure_vault({"subsystem": "shared"})
	data.vaultproof.lib.classification.subsystem_of(v, fx.obj("x", "secret", "secret/project/control-plane/a", 1, {})) == "control-plane"
	data.vaultproof.lib.classification.subsystem_of(v, fx.obj("x", "secret", "secret/project/connectors/ansible/a", 1, {})) == "connectors/ansible"
	data.vaultproof.lib.classification.subsystem_of(v, fx.obj("x", "secret", "secret/team/a", 1, {})) == "shared"
}
