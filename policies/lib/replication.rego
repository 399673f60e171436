# METADATA
# description: |
#   Replication facts for primary/secondary pairs, evaluated in the fleet pass. Two methods:
#   version-compare (Azure primary/fallback: the engine lines up each object's current version on
#   both sides) and vault-enterprise (Vault replication status: WAL positions and last heartbeat).
package vaultproof.lib.replication

import rego.v1

pairs := input.replication if input.kind == "fleet"

# Both vaults of the pair are in the snapshot and the method's data is present.
measurable(p) if {
	p.method == "version-compare"
	input.vaults[p.primary]
	input.vaults[p.secondary]
	is_object(p.objects)
}

measurable(p) if {
	p.method == "vault-enterprise"
	input.vaults[p.primary]
	is_object(p.status)
	is_number(p.status.primary_last_wal)
	is_number(p.status.secondary_last_wal)
	is_number(p.status.last_heartbeat)
}

unmeasurable_reason(p) := "the primary vault is not in the snapshot" if not input.vaults[p.primary]

unmeasurable_reason(p) := "the secondary vault is not in the snapshot" if {
	input.vaults[p.primary]
	p.method == "version-compare"
	not input.vaults[p.secondary]
}

unmeasurable_reason(p) := "the replication status could not be read" if {
	input.vaults[p.primary]
	p.method == "vault-enterprise"
	not measurable(p)
}

# version-compare: objects whose current primary version is not yet on the secondary.
unsynced(p) := behind if {
	p.method == "version-compare"
	behind := {k |
		some k, e in p.objects
		is_object(e.primary)
		not entry_synced(e)
	}
}

unsynced(p) := {"wal"} if {
	p.method == "vault-enterprise"
	p.status.primary_last_wal != p.status.secondary_last_wal
}

unsynced(p) := set() if {
	p.method == "vault-enterprise"
	p.status.primary_last_wal == p.status.secondary_last_wal
}

# The secondary carries the primary's version id (tag source-version) or a version at least as new.
entry_synced(e) if e.secondary.source_version == e.primary.version

entry_synced(e) if e.secondary.created >= e.primary.created

lag_seconds(p) := 0 if count(unsynced(p)) == 0

lag_seconds(p) := max(waits) if {
	p.method == "version-compare"
	count(unsynced(p)) > 0
	waits := {w | some k in unsynced(p); w := input.now - p.objects[k].primary.created}
}

lag_seconds(p) := input.now - p.status.last_heartbeat if {
	p.method == "vault-enterprise"
	count(unsynced(p)) > 0
}

# Lag in minutes rounded to one decimal.
lag_minutes(p) := round(lag_seconds(p) / 6) / 10

resource(p) := {
	"provider": input.vaults[p.primary].provider,
	"vault": input.vaults[p.primary].name,
	"type": "replication",
	"id": p.id,
	"path": secondary_name(p),
}

resource(p) := {"provider": "azure-keyvault", "vault": p.primary, "type": "replication", "id": p.id, "path": p.secondary} if {
	not input.vaults[p.primary]
}

secondary_name(p) := input.vaults[p.secondary].name

secondary_name(p) := p.secondary if not input.vaults[p.secondary]
