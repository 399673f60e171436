# METADATA
# description: |
#   Calendar dates of epoch seconds (the WASM target has no time.* builtins): `date_of(t)` is the
#   UTC date `YYYY-MM-DD` of `t`, as JavaScript's `toISOString().slice(0, 10)` writes it (proleptic
#   Gregorian, days counted from 1970-01-01; H. Hinnant's civil_from_days).
package vaultproof.lib.dates

import rego.v1

date_of(t) := concat("-", [pad(civil.y, 4), pad(civil.m, 2), pad(civil.d, 2)]) if civil := civil_from_days(floor(t / 86400))

civil_from_days(days) := {"y": y + leap_shift(m), "m": m, "d": d} if {
	z := days + 719468
	era := floor(z / 146097)
	doe := z - (era * 146097)
	yoe := floor((((doe - floor(doe / 1460)) + floor(doe / 36524)) - floor(doe / 146096)) / 365)
	y := yoe + (era * 400)
	doy := doe - (((365 * yoe) + floor(yoe / 4)) - floor(yoe / 100))
	mp := floor(((5 * doy) + 2) / 153)
	d := (doy - floor(((153 * mp) + 2) / 5)) + 1
	m := month(mp)
}

month(mp) := mp + 3 if mp < 10

month(mp) := mp - 9 if mp >= 10

leap_shift(m) := 1 if m <= 2

leap_shift(m) := 0 if m > 2

# Zero-padded to `width` digits.
pad(n, width) := concat("", [substring("0000", 0, width - count(s)), s]) if {
	s := format_int(n, 10)
	count(s) < width
}

pad(n, width) := format_int(n, 10) if count(format_int(n, 10)) >= width
