/**
 * Vault Enterprise replication pairs from `sys/replication/status` of the primary and of the
 * secondary (secrets-management §1.2, §1.6):
 * - the primary's WAL index for the pair's kind (`last_performance_wal` / `last_dr_wal`, else
 *   `last_wal`) and the secondary's `last_remote_wal`: the WAL gap;
 * - the secondary's connection, last heartbeat and `replication_primary_canary_age_ms` as the primary
 *   reports them: how long the gap has persisted;
 * - the secondary's own mode and state: a replication secondary does not take writes itself
 *   (performance secondaries forward them to the primary, DR secondaries refuse requests); a cluster
 *   that is no longer a secondary (promoted, or replication disabled) does.
 * A primary's status listing secondaries that no configured pair names yields pairs too (judged on
 * what the primary reports: `secondaries`, and `known_secondaries` that are not connected at all), so
 * a disconnected secondary cannot hide behind a missing config entry.
 */
import type { ReplicationPair, ReplicationStatus } from '../../snapshot/types.js';
import type { HashicorpClusterConfig } from './config.js';
import { asJson, type Json, type RawCluster } from './raw.js';
import { clusterVaultId } from './transform.js';
import { toEpoch } from './transform-values.js';

type Kind = 'performance' | 'dr';
const KINDS: Kind[] = ['performance', 'dr'];
const NONE: ReplicationStatus = { state: 'not-available', connection_state: 'none', last_heartbeat: null, primary_last_wal: null, secondary_last_wal: null };

export interface ClusterRef {
  name: string;
  address?: string;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** A WAL index: Vault sends numbers (some versions strings of digits). */
function wal(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return null;
}

function primaryWal(section: Json, kind: Kind): number | null {
  return wal(kind === 'dr' ? section.last_dr_wal : section.last_performance_wal) ?? wal(section.last_wal);
}

function canaryAgeSeconds(entry: Json | undefined): number | null {
  const ms = entry ? Number(entry.replication_primary_canary_age_ms) : NaN;
  return entry && entry.replication_primary_canary_age_ms !== undefined && entry.replication_primary_canary_age_ms !== '' && Number.isFinite(ms) && ms >= 0 ? ms / 1000 : null;
}

function section(raw: RawCluster | undefined, kind: Kind): Json | 'not-available' | null {
  if (!raw || raw.replication === null) return null;
  if (raw.replication === 'not-available') return 'not-available';
  return asJson(raw.replication[kind]);
}

const secondariesOf = (s: Json): Json[] => (Array.isArray(s.secondaries) ? (s.secondaries as unknown[]).map(asJson) : []);

/** The primary's entry for `secondary`: by API address host, else by node id, else the only entry none of `others` claims. */
function entryFor(list: Json[], secondary: ClusterRef, others: ClusterRef[]): Json | undefined {
  const host = secondary.address ? hostOf(secondary.address) : undefined;
  const byHost = list.find((s) => typeof s.api_address === 'string' && host !== undefined && hostOf(s.api_address) === host);
  if (byHost) return byHost;
  const byNode = list.find((s) => s.node_id === secondary.name);
  if (byNode) return byNode;
  const claimed = (s: Json) => others.some((o) => (o.address && typeof s.api_address === 'string' && hostOf(s.api_address) === hostOf(o.address)) || s.node_id === o.name);
  return list.length === 1 && !claimed(list[0] as Json) ? list[0] : undefined;
}

function statusOf(primarySection: Json, kind: Kind, entry: Json | undefined, secondaryRaw: RawCluster | undefined): { status: ReplicationStatus; writes?: boolean } {
  const sec = section(secondaryRaw, kind);
  const secSection = sec && sec !== 'not-available' ? sec : null;
  const secondaryMode = sec === 'not-available' ? 'not-available' : secSection && typeof secSection.mode === 'string' ? secSection.mode : null;
  const status: ReplicationStatus = {
    state: String(primarySection.state ?? 'unknown'),
    connection_state: entry ? String(entry.connection_status ?? 'unknown') : 'not-connected',
    last_heartbeat: entry ? toEpoch(entry.last_heartbeat) : null,
    primary_last_wal: primaryWal(primarySection, kind),
    secondary_last_wal: secSection ? wal(secSection.last_remote_wal) : null,
    secondary_mode: secondaryMode,
    secondary_state: secSection && typeof secSection.state === 'string' ? secSection.state : null,
    canary_age_seconds: canaryAgeSeconds(entry),
  };
  // Writes on the secondary itself: refused or forwarded while it is a replication secondary; taken once it is not.
  return secondaryMode === null ? { status } : { status, writes: secondaryMode !== 'secondary' };
}

/** Replication pair of a primary cluster that declares `replicates_to`; `others` are the other configured clusters. */
export function transformReplication(primary: HashicorpClusterConfig, primaryRaw: RawCluster, secondary: ClusterRef, secondaryRaw: RawCluster | undefined, others: ClusterRef[] = []): ReplicationPair {
  const id = `${clusterVaultId(primary.name)}->${clusterVaultId(secondary.name)}`;
  const pair: ReplicationPair = { id, primary: clusterVaultId(primary.name), secondary: clusterVaultId(secondary.name), method: 'vault-enterprise', status: null };
  const kind: Kind = primary.replication === 'dr' ? 'dr' : 'performance';
  const s = section(primaryRaw, kind);
  if (s === null) return pair;
  if (s === 'not-available') return { ...pair, status: NONE };
  if (s.mode === undefined || s.mode === 'disabled') return { ...pair, status: { ...NONE, state: 'disabled' } };
  const { status, writes } = statusOf(s, kind, entryFor(secondariesOf(s), secondary, others), secondaryRaw);
  return { ...pair, status, ...(writes !== undefined ? { writes_permitted_on_secondary: writes } : {}) };
}

/**
 * Pairs for the secondaries a primary's own status lists that no declared pair covers (any kind):
 * the secondary is a configured cluster when its API address or name matches one, else it is named
 * by its node id and judged on what the primary reports.
 */
export function undeclaredReplication(primary: HashicorpClusterConfig, primaryRaw: RawCluster, clusters: ClusterRef[], raws: Map<string, RawCluster>, declared: ReplicationPair[]): ReplicationPair[] {
  const out: ReplicationPair[] = [];
  const primaryId = clusterVaultId(primary.name);
  const declaredKind: Kind = primary.replication === 'dr' ? 'dr' : 'performance';
  const declaredSecondary = primary.replicates_to ? (clusters.find((c) => c.name === primary.replicates_to) ?? { name: primary.replicates_to }) : undefined;
  for (const kind of KINDS) {
    const s = section(primaryRaw, kind);
    if (!s || s === 'not-available' || s.mode !== 'primary') continue;
    const list = secondariesOf(s);
    const covered = declaredSecondary && kind === declaredKind ? entryFor(list, declaredSecondary, clusters.filter((c) => c.name !== declaredSecondary.name && c.name !== primary.name)) : undefined;
    for (const entry of list) {
      if (entry === covered) continue;
      const cluster = clusters.find((c) => c.name !== primary.name && ((c.address && typeof entry.api_address === 'string' && hostOf(entry.api_address) === hostOf(c.address)) || entry.node_id === c.name));
      const node = typeof entry.node_id === 'string' && entry.node_id !== '' ? entry.node_id : typeof entry.api_address === 'string' ? hostOf(entry.api_address) : 'unnamed-secondary';
      const secondaryId = cluster ? clusterVaultId(cluster.name) : clusterVaultId(node);
      const id = `${primaryId}->${secondaryId}${kind === 'dr' ? '#dr' : ''}`;
      if (declared.some((p) => p.id === id) || out.some((p) => p.id === id)) continue;
      const { status, writes } = statusOf(s, kind, entry, cluster ? raws.get(cluster.name) : undefined);
      out.push({ id, primary: primaryId, secondary: secondaryId, method: 'vault-enterprise', status, ...(writes !== undefined ? { writes_permitted_on_secondary: writes } : {}) });
    }
    // Secondaries the primary knows (`known_secondaries`) that are not connected at all: judged as not
    // connected. Skipped when a declared pair of this kind is itself unmatched (it may be that one).
    const declaredUnmatched = declaredSecondary !== undefined && kind === declaredKind && covered === undefined;
    const known = Array.isArray(s.known_secondaries) ? s.known_secondaries.filter((k): k is string => typeof k === 'string' && k !== '') : [];
    for (const node of declaredUnmatched ? [] : known) {
      if (list.some((e) => e.node_id === node)) continue;
      const cluster = clusters.find((c) => c.name === node && c.name !== primary.name);
      const secondaryId = clusterVaultId(cluster ? cluster.name : node);
      const id = `${primaryId}->${secondaryId}${kind === 'dr' ? '#dr' : ''}`;
      if (declared.some((p) => p.id === id) || out.some((p) => p.id === id)) continue;
      const { status, writes } = statusOf(s, kind, undefined, cluster ? raws.get(cluster.name) : undefined);
      out.push({ id, primary: primaryId, secondary: secondaryId, method: 'vault-enterprise', status, ...(writes !== undefined ? { writes_permitted_on_secondary: writes } : {}) });
    }
  }
  return out;
}
