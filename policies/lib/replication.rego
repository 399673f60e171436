# METADATA
# description: |
#   Replication facts for primary/secondary pairs, evaluated in the fleet pass. Two methods:
#   version-compare (Azure primary/fallback: the engine lines up each object's current version on
#   both sides) and vault-enterprise (Vault replication status: the WAL gap between the primary's
#   WAL index and the secondary's last remote WAL, and how long the secondary has been behind).
#   Lag is measured in seconds and compared in seconds (302 s is over a 5-minute limit); a lag that
#   cannot be measured is unmeasurable (error), never zero.
package vaultproof.lib.replication

import data.vaultproof.lib.access
import rego.v1

pairs := input.replication if input.kind == "fleet"

limit_seconds := data.config.thresholds.replication_lag_minutes * 60

# ---- version-compare (Azure primary and fallback) ----

objects_aligned(p) if {
	p.method == "version-compare"
	input.vaults[p.primary]
	input.vaults[p.secondary]
	is_object(p.objects)
}

# version-compare: objects whose current primary version is not yet on the secondary.
unsynced(p) := behind if {
	objects_aligned(p)
	behind := {k |
		some k, e in p.objects
		is_object(e.primary)
		not entry_synced(e)
	}
}

# The secondary carries the primary's version id (tag source-version) or a version at least as new.
entry_synced(e) if e.secondary.source_version == e.primary.version

entry_synced(e) if {
	is_number(e.secondary.created)
	is_number(e.primary.created)
	e.secondary.created >= e.primary.created
}

# An object behind whose primary version has no creation time: its wait cannot be measured.
undated_behind(p) if {
	some k in unsynced(p)
	not is_number(object.get(p.objects[k].primary, "created", null))
}

# ---- vault-enterprise (Vault replication status) ----

enterprise_status(p) if {
	p.method == "vault-enterprise"
	input.vaults[p.primary]
	is_object(p.status)
}

# Primary WAL index minus the secondary's last remote WAL (<= 0: the secondary had everything when read).
wal_gap(p) := p.status.primary_last_wal - p.status.secondary_last_wal if {
	enterprise_status(p)
	is_number(p.status.primary_last_wal)
	is_number(p.status.secondary_last_wal)
}

gap_known(p) if wal_gap(p)

wal_synced(p) if wal_gap(p) <= 0

wal_behind(p) if wal_gap(p) > 0

# Lower bounds, in seconds, of how long the secondary's data has been behind: the age of the last
# primary canary it applied (replication_primary_canary_age_ms), and, while the primary reports it
# not connected, the time since its last heartbeat (it received nothing since).
canary_bound(p) := [p.status.canary_age_seconds] if is_number(p.status.canary_age_seconds)

# (object.get: `not f(x.missing)` is undefined, not true, in Rego)
canary_bound(p) := [] if not is_number(object.get(p.status, "canary_age_seconds", null))

heartbeat_bound(p) := [input.now - p.status.last_heartbeat] if {
	p.status.connection_state != "connected"
	is_number(p.status.last_heartbeat)
}

heartbeat_bound(p) := [] if not disconnected_since(p)

disconnected_since(p) if {
	p.status.connection_state != "connected"
	is_number(p.status.last_heartbeat)
}

behind_bounds(p) := array.concat(canary_bound(p), heartbeat_bound(p)) if enterprise_status(p)

longest_bound(p) := max(behind_bounds(p)) if count(behind_bounds(p)) > 0

# Every bound that applies could be read: the connection is stated, and a secondary not connected
# has its last heartbeat. Otherwise the longest known bound may understate the lag.
bounds_complete(p) if p.status.connection_state == "connected"

bounds_complete(p) if disconnected_since(p)

# A WAL gap whose age is known well enough to judge: every bound read, or one already past the limit.
gap_age_known(p) if {
	longest_bound(p)
	bounds_complete(p)
}

gap_age_known(p) if longest_bound(p) > limit_seconds

# The secondary's WAL position is unknown but it has certainly been behind longer than the limit.
over_limit_without_gap(p) if {
	enterprise_status(p)
	not gap_known(p)
	longest_bound(p) > limit_seconds
}

# ---- measurement, both methods ----

measurable(p) if {
	objects_aligned(p)
	not undated_behind(p)
}

measurable(p) if wal_synced(p)

measurable(p) if {
	wal_behind(p)
	gap_age_known(p)
}

measurable(p) if over_limit_without_gap(p)

lag_seconds(p) := 0 if {
	objects_aligned(p)
	count(unsynced(p)) == 0
}

lag_seconds(p) := max(waits) if {
	objects_aligned(p)
	count(unsynced(p)) > 0
	not undated_behind(p)
	waits := {w | some k in unsynced(p); w := input.now - p.objects[k].primary.created}
}

lag_seconds(p) := 0 if wal_synced(p)

lag_seconds(p) := longest_bound(p) if {
	wal_behind(p)
	gap_age_known(p)
}

lag_seconds(p) := longest_bound(p) if over_limit_without_gap(p)

# Lag in minutes for the metric, rounded UP to one decimal so that a lag over the limit never
# shows as the limit (302 s is 5.1 minutes, not 5).
lag_minutes(p) := ceil(lag_seconds(p) / 6) / 10

lag_within_limit(p) := lag_seconds(p) <= limit_seconds

# What is behind, in words: objects (version-compare) or WAL entries (vault-enterprise).
behind_text(p) := concat("", [format_int(count(unsynced(p)), 10), " item(s) behind"]) if objects_aligned(p)

behind_text(p) := concat("", [format_int(max([wal_gap(p), 0]), 10), " WAL entries behind"]) if gap_known(p)

behind_text(p) := "the secondary's WAL position could not be read" if {
	enterprise_status(p)
	not gap_known(p)
}

unmeasurable_reason(p) := "the primary vault is not in the snapshot" if not input.vaults[p.primary]

unmeasurable_reason(p) := "the secondary vault is not in the snapshot" if {
	input.vaults[p.primary]
	p.method == "version-compare"
	not input.vaults[p.secondary]
}

unmeasurable_reason(p) := "an object behind on the secondary has no creation time on the primary" if {
	objects_aligned(p)
	undated_behind(p)
}

unmeasurable_reason(p) := "the replication status could not be read" if {
	p.method == "vault-enterprise"
	input.vaults[p.primary]
	not is_object(object.get(p, "status", null))
}

unmeasurable_reason(p) := concat("", ["the primary reports no WAL index (replication state ", format_state(p.status.state), ")"]) if {
	enterprise_status(p)
	not is_number(object.get(p.status, "primary_last_wal", null))
}

unmeasurable_reason(p) := concat("", [
	"the secondary is ", format_int(wal_gap(p), 10), " WAL entries behind and how long could not be measured",
	" (", age_evidence(p), "; connection ", format_state(object.get(p.status, "connection_state", null)),
	", secondary state ", format_state(object.get(p.status, "secondary_state", null)), ")",
]) if {
	wal_behind(p)
	not gap_age_known(p)
}

age_evidence(p) := "no replication_primary_canary_age_ms" if not longest_bound(p)

age_evidence(p) := "no last heartbeat for a secondary that is not connected" if {
	longest_bound(p)
	not bounds_complete(p)
}

unmeasurable_reason(p) := "the secondary's WAL position (last_remote_wal) could not be read" if {
	enterprise_status(p)
	is_number(p.status.primary_last_wal)
	not is_number(object.get(p.status, "secondary_last_wal", null))
	not over_limit_without_gap(p)
}

format_state(s) := s if is_string(s)

format_state(s) := "unknown" if not is_string(s)

# ---- writes on the secondary (§1.6) ----

# Capabilities that let a principal change what the fallback holds. manage-access lets it grant
# itself any of them, unless a ReadOnly lock freezes the vault's access configuration (locks are
# control-plane only: they never stop a data-plane write).
data_write_caps := {"write", "delete", "purge"}

write_capable(g, _) if {
	some c in g.capabilities
	c in data_write_caps
}

write_capable(g, locks) if {
	"manage-access" in g.capabilities
	not read_only_lock(locks)
}

read_only_lock(locks) if {
	some l in locks
	l.level == "ReadOnly"
}

# Non-admin principals holding a write-capable grant on the pair's secondary vault.
secondary_writers(p) := {name |
	some g in input.grants
	g.vault == p.secondary
	write_capable(g, p.secondary_access.locks)
	not admin_principal(g.principal)
	name := principal_name(g.principal)
}

admin_principal(id) if access.is_admin(input.principals[id], input.principals)

principal_name(id) := input.principals[id].display_name if is_string(input.principals[id].display_name)

principal_name(id) := id if not is_string(object.get(object.get(input.principals, id, {}), "display_name", null))

# The collected evidence of the fallback's access configuration is complete.
access_read(p) if {
	is_object(p.secondary_access)
	p.secondary_access.grants_read == true
	is_array(p.secondary_access.locks)
}

# Whether writes are permitted on the secondary: from the collected access configuration (Azure),
# else as the snapshot states it (Vault: the secondary's own replication mode). Undefined = unknown.
writes_permitted(p) := count(secondary_writers(p)) > 0 if access_read(p)

writes_permitted(p) := p.writes_permitted_on_secondary if {
	not is_object(object.get(p, "secondary_access", null))
	is_boolean(p.writes_permitted_on_secondary)
}

writes_unknown_reason(p) := p.secondary_access.unread if {
	is_object(p.secondary_access)
	not access_read(p)
	is_string(p.secondary_access.unread)
}

writes_unknown_reason(p) := "its access configuration and locks were not fully read" if {
	is_object(p.secondary_access)
	not access_read(p)
	not is_string(object.get(p.secondary_access, "unread", null))
}

writes_unknown_reason(p) := "nothing was collected about whether it accepts writes" if {
	not is_object(object.get(p, "secondary_access", null))
	not is_boolean(object.get(p, "writes_permitted_on_secondary", null))
}

lock_text(p) := "" if not access_read(p)

lock_text(p) := "; no management lock on it" if {
	access_read(p)
	count(p.secondary_access.locks) == 0
}

lock_text(p) := concat("", ["; locks: ", concat(", ", sort({l.level | some l in p.secondary_access.locks}))]) if {
	access_read(p)
	count(p.secondary_access.locks) > 0
}

# ---- resources ----

resource(p) := {
	"provider": input.vaults[p.primary].provider,
	"vault": input.vaults[p.primary].name,
	"type": "replication",
	"id": p.id,
	"path": secondary_name(p),
}

resource(p) := {"provider": provider_of(p), "vault": p.primary, "type": "replication", "id": p.id, "path": p.secondary} if {
	not input.vaults[p.primary]
}

provider_of(p) := "hashicorp-vault" if p.method == "vault-enterprise"

provider_of(p) := "azure-keyvault" if p.method != "vault-enterprise"

secondary_name(p) := input.vaults[p.secondary].name

secondary_name(p) := p.secondary if not input.vaults[p.secondary]
