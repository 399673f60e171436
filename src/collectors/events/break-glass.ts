/**
 * Joins break-glass evidence: reads of break-glass objects in the audit log (grouped into uses:
 * reads by the same actor with the same correlation id within the session window), the approval
 * and use records of the platform, and the rotations that followed (rotation records or new
 * versions written in the audit log).
 */
import type { BreakGlassUse } from '../../snapshot/types.js';
import type { ObjectRead } from './aggregate.js';
import type { RecordedUse } from './record-store.js';

interface Session {
  id: string;
  start: number;
  actor: string;
  correlationId: string | null;
}

export function sessionsOf(reads: ObjectRead[], sessionSeconds: number): Session[] {
  const sorted = [...reads].sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const open: Session[] = [];
  for (const r of sorted) {
    const s = open.find((x) => x.actor === r.actor && x.correlationId === r.correlationId && r.time - x.start <= sessionSeconds);
    if (!s) open.push({ id: r.id, start: r.time, actor: r.actor, correlationId: r.correlationId });
  }
  return open;
}

export interface BreakGlassInput {
  objects: Iterable<string>;
  reads: Map<string, ObjectRead[]>;
  writes: Map<string, number[]>;
  recorded: Iterable<RecordedUse>;
  rotationTimes: Map<string, number[]>;
  sessionSeconds: number;
  window: { from: number; to: number };
}

export interface BreakGlassResult {
  uses: Map<string, Map<string, BreakGlassUse>>;
  /** Uses found in the audit log per object (each one privileged audit event), and how many carry a correlation id. */
  auditUses: Map<string, { uses: number; correlated: number }>;
}

export function joinBreakGlass(input: BreakGlassInput): BreakGlassResult {
  const recordedBy = new Map<string, RecordedUse[]>();
  for (const u of input.recorded) recordedBy.set(u.objectId, [...(recordedBy.get(u.objectId) ?? []), u]);
  const objects = new Set([...input.objects, ...recordedBy.keys()]);
  const uses = new Map<string, Map<string, BreakGlassUse>>();
  const auditUses = new Map<string, { uses: number; correlated: number }>();
  const inWindow = (t: number) => t >= input.window.from && t <= input.window.to;

  for (const objectId of [...objects].sort()) {
    const recorded = recordedBy.get(objectId) ?? [];
    const sessions = sessionsOf(input.reads.get(objectId) ?? [], input.sessionSeconds);
    const rotations = [...(input.rotationTimes.get(objectId) ?? []), ...(input.writes.get(objectId) ?? [])].sort((a, b) => a - b);
    const out = new Map<string, BreakGlassUse>();
    const matched = new Map<RecordedUse, { start: number; actor: string }>();
    const add = (u: BreakGlassUse) => {
      if (!inWindow(u.used_at)) return;
      u.rotated_at = rotations.find((t) => t >= u.used_at) ?? null;
      out.set(u.id, u);
    };
    let audited = 0;
    let correlated = 0;
    for (const s of sessions) {
      if (inWindow(s.start)) {
        audited++;
        if (s.correlationId !== null) correlated++;
      }
      const rec =
        (s.correlationId !== null ? recorded.find((r) => r.correlationId === s.correlationId) : undefined) ??
        recorded.find((r) => r.usedAt !== null && r.actor === s.actor && Math.abs(r.usedAt - s.start) <= input.sessionSeconds);
      if (!rec) {
        add({ id: `audit:${s.id}`, used_at: s.start, actor: s.actor, correlation_id: s.correlationId, approvals: [], rotated_at: null });
        continue;
      }
      const prev = matched.get(rec);
      if (!prev || s.start < prev.start) matched.set(rec, { start: s.start, actor: s.actor });
    }
    for (const r of recorded) {
      const first = matched.get(r);
      const usedAt = first === undefined ? r.usedAt : r.usedAt === null ? first.start : Math.min(r.usedAt, first.start);
      if (usedAt === null) continue; // approved, never used
      const approvals = [...r.approvals].sort((a, b) => a.approved_at - b.approved_at || (a.approver < b.approver ? -1 : a.approver > b.approver ? 1 : 0));
      add({ id: r.useId, used_at: usedAt, actor: r.actor ?? first?.actor ?? null, correlation_id: r.correlationId, approvals, rotated_at: null });
    }
    if (out.size > 0) uses.set(objectId, out);
    if (audited > 0) auditUses.set(objectId, { uses: audited, correlated });
  }
  return { uses, auditUses };
}
