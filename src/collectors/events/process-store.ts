/**
 * The process controls' records (VP-PRC-*): HSM failovers with their SigningOwnerApproval records,
 * packaging pauses and failover attestations; suspected compromises and CAB/security
 * notifications; rotation run attempts; vault-outage drills. Each record names snapshot objects or
 * vaults; a record naming something the snapshot does not hold is unresolved (counted, not guessed).
 * Records of events are kept when they fall in the window (pauses when they overlap it);
 * attestations and drills are periodic, so the latest per vault is kept whatever its age (the
 * rules judge staleness against their thresholds).
 */
import type { BreakGlassUse, HsmFailover, HsmFailoverAttestation, PackagingPause, ProcessFacts, RotationRun, SecurityNotification, SuspectedCompromise, VaultOutageDrill } from '../../snapshot/types.js';
import type { ObjectIndex } from './object-index.js';
import type { EventRecordIn, ProcessRecordIn } from './records.js';

const PROCESS_TYPES = new Set<string>(['hsm-failover', 'signing-owner-approval', 'packaging-pause', 'hsm-failover-attestation', 'suspected-compromise', 'security-notification', 'rotation-run', 'vault-outage-drill']);

type Attempt = RotationRun['attempts'][number];

function byKey<T>(entries: Iterable<[string, T]>): Record<string, T> {
  const out: Record<string, T> = Object.create(null) as Record<string, T>;
  for (const [k, v] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = v;
  return out;
}

export class ProcessStore {
  private readonly failovers = new Map<string, Omit<HsmFailover, 'approvals'>>();
  /** failover id -> approvals (an approval may come before or without its failover record). */
  private readonly approvals = new Map<string, HsmFailover['approvals']>();
  private readonly attestations = new Map<string, HsmFailoverAttestation>();
  private readonly pauses = new Map<string, PackagingPause>();
  private readonly compromises = new Map<string, SuspectedCompromise>();
  private readonly notifications = new Map<string, SecurityNotification>();
  private readonly drills = new Map<string, VaultOutageDrill>();
  /** object id -> run id -> attempt number -> attempt. */
  readonly runs = new Map<string, Map<string, Map<number, Attempt>>>();

  constructor(
    private readonly index: ObjectIndex,
    private readonly window: { from: number; to: number },
  ) {}

  handles(r: EventRecordIn): r is ProcessRecordIn {
    return PROCESS_TYPES.has(r.type);
  }

  private inWindow(t: number): boolean {
    return t >= this.window.from && t <= this.window.to;
  }

  /** A vault reference, `"*"` (or absent, where allowed) for every vault; undefined when unknown. */
  private scope(ref: string | undefined): string | undefined {
    if (ref === undefined || ref === '*') return '*';
    return this.index.resolveVault(ref)?.id;
  }

  /** Adds one record; false when it names an object or vault the snapshot does not hold. */
  add(r: ProcessRecordIn): boolean {
    switch (r.type) {
      case 'hsm-failover': {
        const ref = this.index.resolveObject(r.secondary_key, r.vault ?? null);
        if (!ref) return false;
        if (!this.inWindow(r.time)) return true;
        const vault = this.index.vaultOfObject(ref.objectId);
        if (vault === undefined) return false;
        this.failovers.set(r.failover_id, {
          started_at: r.time,
          ended_at: (r.ended_at as number | null | undefined) ?? null,
          secondary_key: ref.objectId,
          vault,
          requester: r.requester ?? null,
          first_use_at: (r.first_use as number | null | undefined) ?? null,
          evidence_pack_sha256: r.evidence_pack_sha256 ?? null,
        });
        return true;
      }
      case 'signing-owner-approval': {
        const list = this.approvals.get(r.failover_id) ?? [];
        list.push({ approver: r.approver, approved_at: r.time });
        this.approvals.set(r.failover_id, list);
        return true;
      }
      case 'packaging-pause': {
        const resumed = (r.resumed_at as number | null | undefined) ?? null;
        // Overlapping the window: started before its end, not resumed before its start.
        if (r.time > this.window.to || (resumed !== null && resumed < this.window.from)) return true;
        this.pauses.set(r.pause_id, { pipeline: r.pipeline, paused_at: r.time, resumed_at: resumed, failover_id: r.failover_id ?? null });
        return true;
      }
      case 'hsm-failover-attestation': {
        const key = this.scope(r.vault);
        if (key === undefined) return false;
        const to = r.to as number;
        const prev = this.attestations.get(key);
        if (!prev || to > prev.to || (to === prev.to && r.time > prev.attested_at)) {
          this.attestations.set(key, { attestation_id: r.attestation_id, from: r.from as number, to, failovers: r.failovers, attested_by: r.attested_by, attested_at: r.time });
        }
        return true;
      }
      case 'suspected-compromise': {
        const objects: Array<[string, string]> = [];
        for (const o of r.objects) {
          const ref = this.index.resolveObject(o, r.vault ?? null);
          const vault = ref ? this.index.vaultOfObject(ref.objectId) : undefined;
          if (!ref || vault === undefined) return false;
          objects.push([ref.objectId, vault]);
        }
        if (this.inWindow(r.time)) this.compromises.set(r.incident_id, { detected_at: r.time, objects: byKey(objects), source: r.source ?? null });
        return true;
      }
      case 'security-notification': {
        const vault = r.vault === undefined ? null : (this.index.resolveVault(r.vault)?.id ?? undefined);
        if (vault === undefined) return false;
        if (!this.inWindow(r.time)) return true;
        const key = r.id ?? `${r.incident_id ?? vault ?? ''}@${r.time}#${this.notifications.size}`;
        this.notifications.set(key, { notified_at: r.time, notified: [...r.notified].sort(), incident_id: r.incident_id ?? null, vault, ticket: r.ticket ?? null });
        return true;
      }
      case 'rotation-run': {
        const ref = this.index.resolveObject(r.object, r.vault ?? null);
        if (!ref) return false;
        if (!this.inWindow(r.time)) return true;
        const byRun = this.runs.get(ref.objectId) ?? new Map<string, Map<number, Attempt>>();
        const attempts = byRun.get(r.run_id) ?? new Map<number, Attempt>();
        // Two records of one attempt: the later one (a status update) wins.
        const prev = attempts.get(r.attempt);
        if (!prev || r.time >= prev.time) attempts.set(r.attempt, { attempt: r.attempt, time: r.time, status: r.status, actor: r.actor, version: r.version ?? null });
        byRun.set(r.run_id, attempts);
        this.runs.set(ref.objectId, byRun);
        return true;
      }
      case 'vault-outage-drill': {
        const key = this.scope(r.vault);
        if (key === undefined) return false;
        const prev = this.drills.get(key);
        if (!prev || r.time > prev.started_at) {
          this.drills.set(key, { drill_id: r.drill_id, started_at: r.time, ended_at: (r.ended_at as number | null | undefined) ?? null, blocked: r.blocked, publishes_attempted: r.publishes_attempted ?? null });
        }
        return true;
      }
    }
  }

  /** The `process` section; `breakGlass` are the joined break-glass uses (records and audit logs) per object. */
  facts(breakGlass: Map<string, Map<string, BreakGlassUse>>, incidentOf: (objectId: string, useId: string) => string | null): ProcessFacts {
    const failovers: Array<[string, HsmFailover]> = [...this.failovers].map(([id, f]) => {
      const approvals = [...(this.approvals.get(id) ?? [])].sort((a, b) => a.approved_at - b.approved_at || (a.approver < b.approver ? -1 : a.approver > b.approver ? 1 : 0));
      return [id, { ...f, approvals }];
    });
    const invocations: Array<[string, ProcessFacts['break_glass'][string]]> = [];
    for (const [objectId, uses] of breakGlass) {
      const vault = this.index.vaultOfObject(objectId);
      if (vault === undefined) continue;
      for (const [useId, u] of uses) {
        invocations.push([`${objectId}|${useId}`, { object: objectId, vault, used_at: u.used_at, correlation_id: u.correlation_id, incident_id: incidentOf(objectId, useId) }]);
      }
    }
    return {
      hsm_failovers: byKey(failovers),
      hsm_attestations: byKey(this.attestations),
      packaging_pauses: byKey(this.pauses),
      compromises: byKey(this.compromises),
      notifications: byKey(this.notifications),
      break_glass: byKey(invocations),
      outage_drills: byKey(this.drills),
    };
  }

  /** The `rotation_runs` section: object id -> run id -> attempts in attempt order. */
  rotationRuns(): Record<string, Record<string, RotationRun>> {
    return byKey(
      [...this.runs].map(([objectId, byRun]) => [objectId, byKey([...byRun].map(([runId, attempts]) => [runId, { attempts: [...attempts.values()].sort((a, b) => a.attempt - b.attempt) }]))]),
    );
  }
}
