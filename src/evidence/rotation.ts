/**
 * The rotation proof the standard asks for (secrets-management §4, §5: "Evidence pack includes rotation
 * proof for CAB review") and the replication status (§1.2, §1.6), as rows joined from the snapshot
 * (every credential, even one no rule measured) and the findings (the measured value and threshold).
 */
import type { Finding, FindingStatus } from '../findings/types.js';
import type { Snapshot } from '../snapshot/types.js';

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

function intervalOf(f: Finding): number {
  return typeof f.metric.threshold === 'number' ? f.metric.threshold : ROTATION_METRICS[f.metric.name]!.intervalDays;
}

function ageOf(f: Finding | undefined, fallback: number | null): number | null {
  return f && f.metric.op === '<=' && typeof f.metric.value === 'number' ? f.metric.value : fallback;
}

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

function byResource(findings: Finding[], pick: (f: Finding) => boolean): Map<string, Finding> {
  const out = new Map<string, Finding>();
  for (const f of findings) if (pick(f) && !out.has(f.resource.id)) out.set(f.resource.id, f);
  return out;
}

export function rotationRows(snapshot: Snapshot, findings: Finding[]): RotationRow[] {
  const measured = byResource(findings, (f) => f.metric.name in ROTATION_METRICS);
  const documented = byResource(findings, (f) => f.metric.name === 'RotationDocumented');
  const rows: RotationRow[] = [];
  for (const vault of Object.values(snapshot.vaults)) {
    for (const obj of Object.values(vault.objects)) {
      const f = measured.get(obj.id);
      const current = obj.versions[obj.current_version];
      const rotatedAt = current?.created ?? obj.updated;
      const doc = documented.get(obj.id);
      // A store without timestamps (HashiCorp KV v1) gives no age to fall back on.
      const age = ageOf(f, rotatedAt === null ? null : Math.floor((snapshot.now - rotatedAt) / DAY));
      rows.push({
        vault: vault.name,
        name: obj.name,
        path: obj.path,
        kind: obj.kind,
        credentialType: f ? ROTATION_METRICS[f.metric.name]!.type : obj.tags['credential-type'] ?? obj.kind,
        ageDays: age,
        intervalDays: f ? intervalOf(f) : null,
        lastRotation: isoDate(rotatedAt),
        documented: doc ? (doc.status === 'pass' || doc.metric.value === true ? 'yes' : 'no') : 'not recorded',
        status: f ? f.status : 'not measured',
        overdue: f ? f.status === 'fail' || f.status === 'waived' : false,
      });
    }
    for (const cert of Object.values(vault.hashicorp?.pki ?? {})) {
      const f = measured.get(cert.id);
      rows.push({
        vault: vault.name,
        name: `PKI ${cert.serial}`,
        path: cert.mount,
        kind: 'certificate',
        credentialType: f ? ROTATION_METRICS[f.metric.name]!.type : cert.is_ca ? 'CA certificate' : 'certificate',
        ageDays: ageOf(f, Math.floor((snapshot.now - cert.not_before) / DAY)),
        intervalDays: f ? intervalOf(f) : null,
        lastRotation: isoDate(cert.not_before),
        documented: 'not recorded',
        status: f ? f.status : 'not measured',
        overdue: f ? f.status === 'fail' || f.status === 'waived' : false,
      });
    }
  }
  return rows.sort((a, b) => cmp(a.vault, b.vault) || cmp(a.path, b.path) || cmp(a.name, b.name));
}

export function replicationRows(snapshot: Snapshot, findings: Finding[]): ReplicationRow[] {
  const lag = byResource(findings, (f) => f.metric.name === 'VaultReplicationLagMinutes');
  const synced = byResource(findings, (f) => f.metric.name === 'FallbackVaultSynced');
  const name = (id: string) => snapshot.vaults[id]?.name ?? id;
  return Object.values(snapshot.replication)
    .map((pair): ReplicationRow => {
      const l = lag.get(pair.id);
      const s = synced.get(pair.id);
      const statuses = [l?.status, s?.status].filter((x): x is FindingStatus => x !== undefined);
      const worst: FindingStatus | undefined = (['fail', 'error', 'waived', 'pass'] as const).find((st) => statuses.includes(st));
      return {
        id: pair.id,
        primary: name(pair.primary),
        secondary: name(pair.secondary),
        method: pair.method,
        lagMinutes: l ? show(l.metric.value) : '—',
        lagThreshold: l ? `${l.metric.op} ${show(l.metric.threshold)}` : '—',
        synced: s ? show(s.metric.value) : '—',
        state: pair.status ? `${pair.status.state} / ${pair.status.connection_state}` : '—',
        status: worst ?? 'not measured',
      };
    })
    .sort((a, b) => cmp(a.id, b.id));
}

export function show(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
