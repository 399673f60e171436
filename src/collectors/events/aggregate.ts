/**
 * Streams audit events into per-vault counts and, for break-glass objects only, the reads and
 * writes the break-glass join needs. Memory is bounded: denied requests are grouped by
 * principal|path up to a cap per vault (the rest fold into one "other" group, counts stay exact),
 * and at most `MAX_TRACKED` reads/writes are kept per break-glass object.
 */
import type { DeniedRequests } from '../../snapshot/types.js';
import type { AuditEvent } from './audit-events.js';

export interface VaultCounts {
  privileged: number;
  withCorrelation: number;
  denied: number;
  deniedBy: Map<string, DeniedRequests>;
}

export interface ObjectRead {
  id: string;
  time: number;
  actor: string;
  correlationId: string | null;
}

export interface PrincipalActivity {
  last_seen: number;
  operations: number;
}

export const MAX_DENIED_GROUPS = 10_000;
/** Principals whose activity is counted; past it the activity is not reported (it would be partial). */
export const MAX_ACTIVE_PRINCIPALS = 200_000;
const MAX_TRACKED = 10_000;
const OTHER = '(other principals)|(other paths)';

export class AuditAggregator {
  readonly vaults = new Map<string, VaultCounts>();
  readonly reads = new Map<string, ObjectRead[]>();
  readonly writes = new Map<string, number[]>();
  /** Requests per principal id in the window (`events.principal_activity`). */
  readonly activity = new Map<string, PrincipalActivity>();
  activityOverflow = false;
  outsideWindow = 0;

  constructor(
    private readonly window: { from: number; to: number },
    private readonly tracked: ReadonlySet<string>,
  ) {}

  /** A vault whose log is read has an entry even without activity. */
  ensureVault(vaultId: string): VaultCounts {
    let c = this.vaults.get(vaultId);
    if (!c) {
      c = { privileged: 0, withCorrelation: 0, denied: 0, deniedBy: new Map() };
      this.vaults.set(vaultId, c);
    }
    return c;
  }

  add(e: AuditEvent): void {
    const c = this.ensureVault(e.vaultId);
    if (e.objectId !== null && this.tracked.has(e.objectId)) {
      // Tracked regardless of the window: a rotation just after the window end still counts as rotation after use.
      if (e.use) push(this.reads, e.objectId, { id: e.id, time: e.time, actor: e.principal, correlationId: e.correlationId });
      if (e.write) push(this.writes, e.objectId, e.time);
    }
    if (e.time < this.window.from || e.time > this.window.to) {
      this.outsideWindow++;
      return;
    }
    for (const id of e.actors) this.countActivity(id, e.time);
    if (e.privileged) {
      c.privileged++;
      if (e.correlationId !== null) c.withCorrelation++;
    }
    if (e.denied) {
      c.denied++;
      let key = `${e.principal}|${e.path}`;
      let group = c.deniedBy.get(key);
      if (!group && c.deniedBy.size >= MAX_DENIED_GROUPS) {
        key = OTHER;
        group = c.deniedBy.get(key);
      }
      if (!group) {
        const [principal, path] = key === OTHER ? ['(other principals)', '(other paths)'] : [e.principal, e.path];
        group = { principal, path, count: 0, last_seen: e.time, ...(key === OTHER ? {} : { operation: e.operation }) };
        c.deniedBy.set(key, group);
      }
      group.count++;
      if (e.time > group.last_seen) group.last_seen = e.time;
      if (group.operation !== undefined && group.operation !== e.operation) group.operation = 'various';
    }
  }

  private countActivity(id: string, time: number): void {
    const a = this.activity.get(id);
    if (a) {
      a.operations++;
      if (time > a.last_seen) a.last_seen = time;
    } else if (this.activity.size < MAX_ACTIVE_PRINCIPALS) this.activity.set(id, { last_seen: time, operations: 1 });
    else this.activityOverflow = true;
  }
}

function push<T>(m: Map<string, T[]>, key: string, v: T): void {
  const list = m.get(key) ?? [];
  if (list.length < MAX_TRACKED) list.push(v);
  m.set(key, list);
}
