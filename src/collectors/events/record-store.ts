/**
 * Collects validated platform records, resolved to snapshot object and vault ids. Everything is
 * held in Maps keyed by resolved ids; a record naming an object or vault the snapshot does not
 * hold is counted as unresolved (and reported), not guessed.
 */
import type { AccessReview, CabEscalation, RotationRecord } from '../../snapshot/types.js';
import type { ObjectIndex } from './object-index.js';
import { ProcessStore } from './process-store.js';
import type { EventRecordIn } from './records.js';

export interface RecordedApproval {
  approver: string;
  approved_at: number;
}

/** A break-glass use as the records know it: approvals and/or a use record under one use id. */
export interface RecordedUse {
  useId: string;
  objectId: string;
  usedAt: number | null;
  actor: string | null;
  correlationId: string | null;
  /** The incident (suspected-compromise) the use answers, when a record names one. */
  incidentId: string | null;
  approvals: RecordedApproval[];
}

export class RecordStore {
  readonly rotations = new Map<string, Map<string, RotationRecord>>();
  /** Rotation record times per object (all, for "rotated after use"). */
  readonly rotationTimes = new Map<string, number[]>();
  readonly uses = new Map<string, RecordedUse>();
  readonly escalations = new Map<string, CabEscalation>();
  readonly reviews = new Map<string, AccessReview>();
  /** vault id -> privileged operations recorded in the window. */
  readonly operations = new Map<string, number>();
  /** The process controls' records (HSM failovers, compromises, rotation runs, outage drills). */
  readonly process: ProcessStore;
  unresolved = 0;

  constructor(
    private readonly index: ObjectIndex,
    private readonly window: { from: number; to: number },
  ) {
    this.process = new ProcessStore(index, window);
  }

  private inWindow(t: number): boolean {
    return t >= this.window.from && t <= this.window.to;
  }

  /** Adds one record; returns false when its object or vault is not in the snapshot. */
  add(r: EventRecordIn): boolean {
    if (this.process.handles(r)) return this.process.add(r) || this.miss();
    if (r.type === 'access-review') {
      const key = r.vault === '*' ? '*' : this.index.resolveVault(r.vault)?.id;
      if (!key) return this.miss();
      const prev = this.reviews.get(key);
      if (!prev || r.time > prev.completed_at) {
        // A record stating no open items is a review closed with none open (the records format's default).
        this.reviews.set(key, { review_id: r.review_id, completed_at: r.time, reviewers: [...r.reviewers], open_items: r.open_items ?? 0 });
      }
      return true;
    }
    if (r.type === 'privileged-operation') {
      const vault = this.index.resolveVault(r.vault);
      if (!vault) return this.miss();
      if (this.inWindow(r.time)) this.operations.set(vault.id, (this.operations.get(vault.id) ?? 0) + 1);
      return true;
    }
    const ref = this.index.resolveObject(r.object, r.vault ?? null);
    if (!ref) return this.miss();
    const id = ref.objectId;
    switch (r.type) {
      case 'rotation': {
        const times = this.rotationTimes.get(id) ?? [];
        times.push(r.time);
        this.rotationTimes.set(id, times);
        if (!this.inWindow(r.time)) return true;
        const byVersion = this.rotations.get(id) ?? new Map<string, RotationRecord>();
        const prev = byVersion.get(r.version);
        const correlation = r.correlation_id ?? null;
        // Several records of one version: one with a correlation id wins, then the latest.
        if (!prev || (prev.correlation_id === null && correlation !== null) || ((prev.correlation_id === null) === (correlation === null) && r.time > prev.time)) {
          byVersion.set(r.version, { version: r.version, time: r.time, correlation_id: correlation, actor: r.actor ?? null, ...(r.id ? { record_id: r.id } : {}) });
        }
        this.rotations.set(id, byVersion);
        return true;
      }
      case 'cab-escalation': {
        const prev = this.escalations.get(id);
        if (!prev || r.time > prev.raised_at) this.escalations.set(id, { ticket: r.ticket, raised_at: r.time, ...(r.reason ? { reason: r.reason } : {}) });
        return true;
      }
      case 'break-glass-approval':
      case 'break-glass-use': {
        const key = `${id}\u0000${r.use_id}`;
        const use = this.uses.get(key) ?? { useId: r.use_id, objectId: id, usedAt: null, actor: null, correlationId: null, incidentId: null, approvals: [] };
        use.correlationId ??= r.correlation_id ?? null;
        use.incidentId ??= r.incident_id ?? null;
        if (r.type === 'break-glass-approval') use.approvals.push({ approver: r.approver, approved_at: r.time });
        else {
          use.usedAt = use.usedAt === null ? r.time : Math.min(use.usedAt, r.time);
          use.actor ??= r.actor ?? null;
        }
        this.uses.set(key, use);
        return true;
      }
    }
  }

  private miss(): false {
    this.unresolved++;
    return false;
  }

  /** Privileged operations the records expect on a vault in the window: rotations, recorded break-glass uses, other operations. */
  expectedOperations(vaultId: string): number {
    let n = this.operations.get(vaultId) ?? 0;
    for (const [objectId, versions] of this.rotations) if (this.index.vaultOfObject(objectId) === vaultId) n += versions.size;
    for (const u of this.uses.values()) {
      if (u.usedAt !== null && this.inWindow(u.usedAt) && this.index.vaultOfObject(u.objectId) === vaultId) n++;
    }
    return n;
  }
}
