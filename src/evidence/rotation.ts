/**
 * The rotation proof the standard asks for (secrets-management §4, §5: "Evidence pack includes rotation
 * proof for CAB review") and the replication status (§1.2, §1.6), as rows joined from the snapshot
 * (every credential, even one no rule measured) and the findings (the measured value and threshold).
 */
import type { Finding, FindingStatus } from '../findings/types.js';
import type { Snapshot, Vault } from '../snapshot/types.js';

/**
 * Metrics that judge a credential's rotation, with the standard's name for the credential type and
 * its interval (§4 table), used when the metric itself is a boolean rather than an age.
 */
export const ROTATION_METRICS: Record<string, { type: string; intervalDays: number }> = {
  CertificateAgeDays: { type: 'Service principal certificate', intervalDays: 90 },
  TokenAgeDays: { type: 'API token', intervalDays: 60 },
  SigningKeyRotationComplete: { type: 'Signing key (HSM)', intervalDays: 90 },
  SIEMSecretExpiryDays: { type: 'SIEM/telemetry secret', intervalDays: 30 },
  AdminKeyAgeDays: { type: 'Vault root/admin key', intervalDays: 30 },
};

export interface RotationRow {
  vault: string;
  name: string;
  path: string;
  kind: string;
  credentialType: string;
  ageDays: number | null;
  intervalDays: number | null;
  lastRotation: string;
  documented: 'yes' | 'no' | 'not recorded';
  status: FindingStatus | 'not measured';
  /** Past its interval (failing, or waived). */
  overdue: boolean;
}

export interface ReplicationRow {
  id: string;
  primary: string;
  secondary: string;
  method: string;
  lagMinutes: string;
  lagThreshold: string;
  synced: string;
  state: string;
  status: FindingStatus | 'not measured';
}

const DAY = 86_400;

export function isoDate(epochSeconds: number | null | undefined): string {
  if (epochSeconds === null || epochSeconds === undefined) return '—';
  return new Date(epochSeconds * 1000).toISOString().slice(0, 10);
}

/** A credential's rotation measurement (the first finding of a ROTATION_METRICS metric on it), as its row uses it. */
export interface MeasuredRotation {
  credentialType: string;
  /** The measured age (a `<=` metric with a number); undefined: the age comes from the snapshot. */
  age: number | undefined;
  intervalDays: number;
  status: FindingStatus;
}

/** A replication pair's measurement (lag or fallback sync), as its row prints it. */
export interface ReplicationMeasure {
  value: string;
  /** "<= 5" (lag only). */
  required: string;
  status: FindingStatus;
}

/**
 * What the rotation and replication rows take from the findings, per resource id: the first finding
 * of each group in document order (a rotation metric, RotationDocumented, the replication lag, the
 * fallback sync), reduced to the values the rows print. Not the findings: a million credentials'
 * joins are a few small values each.
 */
export interface RowJoins {
  measured: Map<string, MeasuredRotation>;
  documented: Map<string, 'yes' | 'no'>;
  lag: Map<string, ReplicationMeasure>;
  synced: Map<string, ReplicationMeasure>;
}

export function emptyJoins(): RowJoins {
  return { measured: new Map(), documented: new Map(), lag: new Map(), synced: new Map() };
}

/** One shared string per status, so a million joins do not hold a million copies of "pass". */
const STATUS: Record<string, FindingStatus> = { fail: 'fail', pass: 'pass', waived: 'waived', error: 'error' };

/** Adds `f` to the joins when it is the first finding of its group on its resource (call in document order). */
export function joinFinding(joins: RowJoins, f: Finding): void {
  const id = f.resource.id;
  const metric = f.metric.name;
  const status = STATUS[f.status] ?? f.status;
  if (metric in ROTATION_METRICS) {
    if (joins.measured.has(id)) return;
    const known = ROTATION_METRICS[metric]!;
    joins.measured.set(id, {
      credentialType: known.type,
      age: f.metric.op === '<=' && typeof f.metric.value === 'number' ? f.metric.value : undefined,
      intervalDays: typeof f.metric.threshold === 'number' ? f.metric.threshold : known.intervalDays,
      status,
    });
  } else if (metric === 'RotationDocumented') {
    if (!joins.documented.has(id)) joins.documented.set(id, f.status === 'pass' || f.metric.value === true ? 'yes' : 'no');
  } else if (metric === 'VaultReplicationLagMinutes') {
    if (!joins.lag.has(id)) joins.lag.set(id, { value: show(f.metric.value), required: `${f.metric.op} ${show(f.metric.threshold)}`, status });
  } else if (metric === 'FallbackVaultSynced') {
    if (!joins.synced.has(id)) joins.synced.set(id, { value: show(f.metric.value), required: '', status });
  }
}

/** The rows of one vault's credentials (objects, then PKI certificates), in the vault's order, unsorted. */
export function vaultRotationRows(vault: Vault, now: number, joins: RowJoins): RotationRow[] {
  const rows: RotationRow[] = [];
  for (const obj of Object.values(vault.objects)) {
    const m = joins.measured.get(obj.id);
    const current = obj.versions[obj.current_version];
    const rotatedAt = current?.created ?? obj.updated;
    const doc = joins.documented.get(obj.id);
    // A store without timestamps (HashiCorp KV v1) gives no age to fall back on.
    const age = m?.age ?? (rotatedAt === null ? null : Math.floor((now - rotatedAt) / DAY));
    rows.push({
      vault: vault.name,
      name: obj.name,
      path: obj.path,
      kind: obj.kind,
      credentialType: m ? m.credentialType : obj.tags['credential-type'] ?? obj.kind,
      ageDays: age,
      intervalDays: m ? m.intervalDays : null,
      lastRotation: isoDate(rotatedAt),
      documented: doc ?? 'not recorded',
      status: m ? m.status : 'not measured',
      overdue: m ? m.status === 'fail' || m.status === 'waived' : false,
    });
  }
  for (const cert of Object.values(vault.hashicorp?.pki ?? {})) {
    const m = joins.measured.get(cert.id);
    rows.push({
      vault: vault.name,
      name: `PKI ${cert.serial}`,
      path: cert.mount,
      kind: 'certificate',
      credentialType: m ? m.credentialType : cert.is_ca ? 'CA certificate' : 'certificate',
      ageDays: m?.age ?? Math.floor((now - cert.not_before) / DAY),
      intervalDays: m ? m.intervalDays : null,
      lastRotation: isoDate(cert.not_before),
      documented: 'not recorded',
      status: m ? m.status : 'not measured',
      overdue: m ? m.status === 'fail' || m.status === 'waived' : false,
    });
  }
  return rows;
}

/** The rotation table's order: vault name, path, name (a stable sort keeps the snapshot's order among equals). */
export function compareRotationRows(a: RotationRow, b: RotationRow): number {
  return cmp(a.vault, b.vault) || cmp(a.path, b.path) || cmp(a.name, b.name);
}

/** Every credential of a snapshot held whole, in the table's order. */
export function rotationRows(snapshot: Snapshot, joins: RowJoins): RotationRow[] {
  const rows: RotationRow[] = [];
  for (const vault of Object.values(snapshot.vaults)) for (const r of vaultRotationRows(vault, snapshot.now, joins)) rows.push(r);
  return rows.sort(compareRotationRows);
}

/** The replication pairs with their measurements; `nameOf` names a vault by id (undefined: not in the snapshot). */
export function replicationRows(pairs: Snapshot['replication'], nameOf: (id: string) => string | undefined, joins: RowJoins): ReplicationRow[] {
  const name = (id: string) => nameOf(id) ?? id;
  return Object.values(pairs)
    .map((pair): ReplicationRow => {
      const l = joins.lag.get(pair.id);
      const s = joins.synced.get(pair.id);
      const statuses = [l?.status, s?.status].filter((x): x is FindingStatus => x !== undefined);
      const worst: FindingStatus | undefined = (['fail', 'error', 'waived', 'pass'] as const).find((st) => statuses.includes(st));
      return {
        id: pair.id,
        primary: name(pair.primary),
        secondary: name(pair.secondary),
        method: pair.method,
        lagMinutes: l ? l.value : '—',
        lagThreshold: l ? l.required : '—',
        synced: s ? s.value : '—',
        state: pair.status ? `${pair.status.state} / ${pair.status.connection_state}` : '—',
        status: worst ?? 'not measured',
      };
    })
    .sort((a, b) => cmp(a.id, b.id));
}

/** Vaults of the same name, in the order the snapshot lists them: the rotation table's unit of sorting. */
export interface VaultNameGroup {
  name: string;
  vaultIds: string[];
}

/** What reads the vaults again: one at a time, by id. */
export interface VaultReader {
  readVault(id: string): Vault;
}

/**
 * The rotation rows in the table's order without holding them all: the vaults of one name at a time
 * (groups in name order) are read, their rows sorted and yielded. Only the vaults `keep` accepts
 * are read (a pass for one credential type skips the vaults without it). Same order as
 * `rotationRows`: the global sort is by vault name first, and within a name the stable sort sees
 * the rows in the snapshot's order.
 */
export function* sortedRotationRows(reader: VaultReader, groups: readonly VaultNameGroup[], now: number, joins: RowJoins, keep?: (vaultId: string) => boolean): Generator<RotationRow> {
  for (const group of groups) {
    const rows: RotationRow[] = [];
    for (const id of group.vaultIds) {
      if (keep && !keep(id)) continue;
      for (const r of vaultRotationRows(reader.readVault(id), now, joins)) rows.push(r);
    }
    rows.sort(compareRotationRows);
    yield* rows;
  }
}

export function show(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
