/**
 * Assembles the snapshot's `events` section from what the sources fed: audit counts per vault and
 * requests per principal (`principal_activity`, from the audit logs), rotation records, break-glass
 * uses joined with approvals, escalations and access reviews, and the process controls' records
 * (`process`, `rotation_runs`). A
 * section appears when at least one configured source is its evidence (even with nothing found);
 * sections no source feeds are left out, so the rules needing them report error, never pass.
 * The result is plain JSON (keys sorted), so no parsed key can reach a prototype.
 */
import type { EventFacts, EventSection, EventSource, VaultAuditFacts } from '../../snapshot/types.js';
import type { AuditAggregator } from './aggregate.js';
import { joinBreakGlass } from './break-glass.js';
import type { ObjectIndex } from './object-index.js';
import type { RecordStore } from './record-store.js';

export interface FactsInput {
  window: { from: number; to: number };
  sources: EventSource[];
  audit: AuditAggregator;
  records: RecordStore;
  index: ObjectIndex;
  /** Vault ids whose privileged operations a record store declares it records completely. */
  covered: Set<string>;
  sessionSeconds: number;
}

function sorted<T>(entries: Iterable<[string, T]>): Record<string, T> {
  const out: Record<string, T> = Object.create(null) as Record<string, T>;
  for (const [k, v] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = v;
  return out;
}

export function buildFacts(input: FactsInput): EventFacts {
  const { audit, records, index } = input;
  const sections = new Set<EventSection>(input.sources.flatMap((s) => s.sections));
  const facts: EventFacts = { window: { ...input.window }, sources: input.sources };

  const bg = joinBreakGlass({
    objects: [...audit.reads.keys()],
    reads: audit.reads,
    writes: audit.writes,
    recorded: records.uses.values(),
    rotationTimes: records.rotationTimes,
    sessionSeconds: input.sessionSeconds,
    window: input.window,
  });

  if (sections.has('rotations')) {
    facts.rotations = sorted([...records.rotations].map(([id, byVersion]) => [id, sorted(byVersion)]));
  }
  if (sections.has('break_glass')) {
    facts.break_glass = sorted([...bg.uses].map(([id, uses]) => [id, sorted(uses)]));
  }
  if (sections.has('audit')) {
    const perVault = new Map<string, VaultAuditFacts>();
    for (const [vaultId, c] of audit.vaults) {
      let privileged = c.privileged;
      let correlated = c.withCorrelation;
      for (const [objectId, u] of bg.auditUses) {
        if (index.vaultOfObject(objectId) !== vaultId) continue;
        privileged += u.uses;
        correlated += u.correlated;
      }
      perVault.set(vaultId, {
        privileged_operations: privileged,
        with_correlation_id: correlated,
        expected_privileged_operations: input.covered.has(vaultId) ? records.expectedOperations(vaultId) : null,
        denied_requests: c.denied,
        denied: sorted(c.deniedBy),
      });
    }
    facts.audit = sorted(perVault);
    // Requests per principal in the window (VP-REV-002); not reported when too many principals to hold.
    if (!audit.activityOverflow) facts.principal_activity = sorted(audit.activity);
  }
  if (sections.has('access_reviews')) facts.access_reviews = sorted(records.reviews);
  if (sections.has('escalations')) facts.escalations = sorted(records.escalations);
  if (sections.has('process')) {
    const incidents = new Map([...records.uses.values()].map((u) => [`${u.objectId}\u0000${u.useId}`, u.incidentId]));
    facts.process = records.process.facts(bg.uses, (objectId, useId) => incidents.get(`${objectId}\u0000${useId}`) ?? null);
  }
  if (sections.has('rotation_runs')) facts.rotation_runs = records.process.rotationRuns();
  return JSON.parse(JSON.stringify(facts)) as EventFacts;
}
