/**
 * Splits a snapshot into evaluation inputs: one shard per vault (the vault with its objects, the
 * grants on it and the principals they name) and one fleet input for cross-vault rules (vault
 * summaries, replication pairs with each object's current version lined up on both sides).
 * Each input is serialised once to JSON bytes and handed to WASM as an ArrayBuffer.
 */
import type { Grant, Principal, ReplicationPair, Snapshot, Vault, VaultObject } from '../snapshot/types.js';
import { toArrayBuffer } from './policy.js';

export interface ShardInput {
  /** Vault id, or "fleet". */
  id: string;
  bytes: ArrayBuffer;
}

export function vaultShard(snapshot: Snapshot, vault: Vault, grantsByVault: Map<string, Grant[]>): ShardInput {
  const grants: Record<string, Grant> = {};
  const principals: Record<string, Principal> = {};
  for (const g of grantsByVault.get(vault.id) ?? []) {
    grants[g.id] = g;
    const p = snapshot.principals[g.principal];
    if (p) principals[p.id] = p;
  }
  const input = { kind: 'vault', now: snapshot.now, vault, grants, principals, events: snapshot.events ?? null };
  return { id: vault.id, bytes: toArrayBuffer(JSON.stringify(input)) };
}

interface VersionFacts {
  version: string;
  created: number;
  source_version: string | null;
}

function currentVersionFacts(o: VaultObject): VersionFacts {
  const v = o.versions[o.current_version];
  return { version: o.current_version, created: v?.created ?? o.created, source_version: o.tags['source-version'] ?? null };
}

/** Lines up primary and secondary objects by kind and name (version ids differ between vaults). */
function alignObjects(primary: Vault | undefined, secondary: Vault | undefined) {
  if (!primary || !secondary) return null;
  const entries: Record<string, { primary: VersionFacts | null; secondary: VersionFacts | null }> = {};
  const key = (o: VaultObject) => `${o.kind}/${o.name}`;
  for (const o of Object.values(primary.objects)) {
    if (o.enabled) entries[key(o)] = { primary: currentVersionFacts(o), secondary: null };
  }
  for (const o of Object.values(secondary.objects)) {
    const e = entries[key(o)];
    if (e) e.secondary = currentVersionFacts(o);
  }
  return entries;
}

export function fleetInput(snapshot: Snapshot): ShardInput {
  const vaults: Record<string, Pick<Vault, 'id' | 'provider' | 'name' | 'address' | 'region' | 'role' | 'subsystem'>> = {};
  for (const v of Object.values(snapshot.vaults)) {
    vaults[v.id] = { id: v.id, provider: v.provider, name: v.name, address: v.address, region: v.region, role: v.role, subsystem: v.subsystem };
  }
  const replication: Record<string, ReplicationPair & { objects?: unknown }> = {};
  for (const p of Object.values(snapshot.replication)) {
    replication[p.id] =
      p.method === 'version-compare'
        ? { ...p, objects: alignObjects(snapshot.vaults[p.primary], snapshot.vaults[p.secondary]) }
        : p;
  }
  const input = {
    kind: 'fleet',
    now: snapshot.now,
    regions_in_scope: snapshot.regions_in_scope ?? [],
    vaults,
    replication,
    principals: snapshot.principals,
    events: snapshot.events ?? null,
    // Fleet-wide access (separation of duties): every grant, and each vault's objects slimmed to what classification reads.
    grants: snapshot.grants,
    objects: Object.fromEntries(Object.values(snapshot.vaults).map((v) => [v.id, Object.fromEntries(Object.values(v.objects).map((o) => [o.id, { id: o.id, kind: o.kind, name: o.name, path: o.path, tags: o.tags, content_type: o.content_type, enabled: o.enabled }]))])),
  };
  return { id: 'fleet', bytes: toArrayBuffer(JSON.stringify(input)) };
}

export function* shards(snapshot: Snapshot): Generator<ShardInput> {
  const grantsByVault = new Map<string, Grant[]>();
  for (const g of Object.values(snapshot.grants)) {
    const list = grantsByVault.get(g.vault) ?? [];
    list.push(g);
    grantsByVault.set(g.vault, list);
  }
  for (const id of Object.keys(snapshot.vaults).sort()) {
    yield vaultShard(snapshot, snapshot.vaults[id] as Vault, grantsByVault);
  }
  yield fleetInput(snapshot);
}
