# METADATA
# description: |
#   Vault's ACL path matching and priority, as src/snapshot/vault-acl-glob.ts has them (Vault's
#   policy.go): a path ending in `*` matches by prefix, a `+` segment matches any one segment, and of
#   several paths of one policy matching a request the most specific governs (an exact path first,
#   then the one whose first wildcard comes later, a non-prefix path, fewer `+` segments, the longer,
#   the lexically greater).
package vaultproof.lib.vault_acl

import rego.v1

segment_wildcards(raw) if raw == "+"

segment_wildcards(raw) if contains(raw, "/+")

segment_wildcards(raw) if startswith(raw, "+/")

compiled(raw) := {"raw": raw, "seg": seg, "prefix": prefix, "exact": exact, "path": path} if {
	seg := count({1 | segment_wildcards(raw)}) > 0
	prefix := endswith(raw, "*")
	exact := count({1 | seg} | {1 | prefix}) == 0
	path := strip_glob(raw, prefix, seg)
}

strip_glob(raw, true, false) := substring(raw, 0, count(raw) - 1)

strip_glob(raw, prefix, seg) := raw if count({1 | prefix; not seg}) == 0

matches(p, path) if {
	not p.seg
	p.prefix
	startswith(path, p.path)
}

matches(p, path) if {
	p.exact
	path == p.path
}

matches(p, path) if {
	p.seg
	acl := split(wc_path(p), "/")
	parts := split(path, "/")
	count(parts) >= count(acl)
	same_length_unless_prefix(p, acl, parts)
	every i, a in acl {
		segment_matches(a, parts[i], p.prefix, i == count(acl) - 1)
	}
}

same_length_unless_prefix(p, _, _) if p.prefix

same_length_unless_prefix(p, acl, parts) if {
	not p.prefix
	count(acl) == count(parts)
}

segment_matches(a, _, _, _) if a == "+"

segment_matches(a, s, _, _) if a == s

segment_matches(a, s, true, true) if startswith(s, a)

wc_path(p) := substring(p.path, 0, count(p.path) - 1) if {
	p.seg
	p.prefix
}

wc_path(p) := p.path if not p.prefix

wc_path(p) := p.path if not p.seg

# Vault's priority key of a non-exact path: first wildcard or glob position, prefix, `+` count, path.
key(p) := {"first": count(p.path), "prefix": true, "wildcards": 0, "wc": p.path} if not p.seg

key(p) := {"first": indexof(p.path, "+"), "prefix": p.prefix, "wildcards": n, "wc": wc_path(p)} if {
	p.seg
	n := count([s | some s in split(wc_path(p), "/"); s == "+"])
}

# `a` has lower priority than `b` (both non-exact), as Vault's sort says.
lower(a, b) if key(a).first < key(b).first

lower(a, b) if {
	key(a).first == key(b).first
	key(a).prefix != key(b).prefix
	key(a).prefix
}

lower(a, b) if {
	key(a).first == key(b).first
	key(a).prefix == key(b).prefix
	key(a).wildcards > key(b).wildcards
}

lower(a, b) if {
	key(a).first == key(b).first
	key(a).prefix == key(b).prefix
	key(a).wildcards == key(b).wildcards
	count(key(a).wc) < count(key(b).wc)
}

lower(a, b) if {
	key(a).first == key(b).first
	key(a).prefix == key(b).prefix
	key(a).wildcards == key(b).wildcards
	count(key(a).wc) == count(key(b).wc)
	key(a).wc < key(b).wc
}

# On a path both match, `q` is the rule Vault applies rather than `p`.
takes_precedence(q, p) if {
	q.raw != p.raw
	not p.exact
	q.exact
}

takes_precedence(q, p) if {
	q.raw != p.raw
	not p.exact
	not q.exact
	lower(p, q)
}

# The rules of one policy governing `path` (one: same paths are merged when the policy is parsed).
governing(policy, path) := {r |
	some r in policy.rules
	c := compiled(r.path)
	matches(c, path)
	not beaten(policy, c, path)
}

beaten(policy, c, path) if {
	some other in policy.rules
	q := compiled(other.path)
	matches(q, path)
	takes_precedence(q, c)
}
