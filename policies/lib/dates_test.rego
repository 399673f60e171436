package vaultproof.lib.dates_test

import data.vaultproof.lib.dates
import rego.v1

test_epoch if dates.date_of(0) == "1970-01-01"

test_fixture_now if dates.date_of(1795910400) == "2026-11-29"

test_last_second_of_a_day if dates.date_of(1795910399) == "2026-11-28"

test_leap_day if dates.date_of(951782400) == "2000-02-29"

test_new_year_after_leap_year if dates.date_of(1735689600) == "2025-01-01"

test_fraction_of_a_second if dates.date_of(1795910400.5) == "2026-11-29"
