/**
 * Issue 15, property 1: "Less evidence is never greener." Take evidence away from a snapshot (delete
 * or null any field of any vault, object, version, grant, principal, event or config record, chosen
 * among every JSON path by fast-check; or mark a scope unreadable) and evaluate again with the real
 * policy bundle: no finding may move toward `pass`, and no finding may disappear while its resource
 * is still in the snapshot. A mutation the snapshot schema rejects must be rejected as an input
 * error (never evaluated into a pass).
 *
 * Deterministic: a fixed seed (VP_PROPERTY_SEED) and a CI budget (VP_PROPERTY_RUNS); a failure
 * prints the seed, the path mutated, the rule, the resource and both statuses.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFleet } from '../../bench/fleet-generator.js';
import { loadBundle } from '../../src/engine/bundle.js';
import { Engine } from '../../src/engine/evaluate.js';
import { applyWaivers, parseWaivers, type LoadedWaiver } from '../../src/engine/waivers.js';
import type { Finding } from '../../src/findings/types.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { loadSnapshot, validateSnapshot } from '../../src/snapshot/validate.js';
import { InputError } from '../../src/util/input-error.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { describeRegression, regressions } from '../support/finding-regressions.js';
import { MemoEvaluator } from '../support/memo-evaluator.js';
import { requireBuiltBundle } from '../support/prerequisites.js';
import { PROPERTY_SEED, propertyParameters } from '../support/property-settings.js';
import { describePath, meaningOf, mutate, pathsByShape, valueAt, type MutationKind, type Segment } from '../support/snapshot-paths.js';

const DEMO = join(PACKAGE_ROOT, 'fixtures', 'demo', 'snapshot.json');

/**
 * A snapshot with its findings and its mutations by path shape: a (shape, kind) is drawn first,
 * then one of the shape's paths. Mostly from the pairs the schema accepts (those are evaluated),
 * partly from those it rejects (the rejection must be an input error).
 */
interface Subject {
  label: string;
  snapshot: Snapshot;
  /** Waivers applied to its findings (the demo fleet's: so that `waived -> pass` is checked too). */
  waivers: LoadedWaiver[];
  before: Finding[];
  accepted: Array<{ paths: Segment[][]; kind: MutationKind }>;
  rejected: Array<{ paths: Segment[][]; kind: MutationKind }>;
}

interface FieldMutation {
  accepted: boolean;
  pair: number;
  instance: number;
}

let memo: MemoEvaluator;
let engine: Engine;
const tally = { evaluated: 0, rejected: 0, notEvidence: 0 };

function schemaAccepts(snapshot: Snapshot, path: Segment[], kind: MutationKind): boolean {
  try {
    validateSnapshot(mutate(snapshot, path, kind), 'mutated snapshot');
    return true;
  } catch (e) {
    if (e instanceof InputError) return false;
    throw e;
  }
}

/** The snapshot's findings as the engine's document has them: waiver findings added, waivers applied. */
function judged(snapshot: Snapshot, waivers: LoadedWaiver[]): Finding[] {
  const ruled = memo.findings(snapshot);
  if (waivers.length === 0) return ruled;
  return applyWaivers([...ruled, ...engine.waiverFindings(waivers, ruled, snapshot.now)], waivers, snapshot.now);
}

/** Waivers for every third failing finding of the snapshot, in force, and one lapsed. */
function waiversFor(snapshot: Snapshot): LoadedWaiver[] {
  const failing = memo.findings(snapshot).filter((f) => f.status === 'fail');
  const entry = (f: Finding, expires: string) => ({ rule: f.rule_id, resource: f.resource.id, reason: 'Accepted until the next platform release', approved_by: ['alice@example.com', 'bob@example.com'], expires });
  const entries = failing.filter((_, i) => i % 3 === 0).map((f, i) => entry(f, i === 0 ? '2026-11-01' : '2026-12-31'));
  const rules = new Map(engine.bundle.catalog.rules.map((r) => [r.id, { severity: r.severity }]));
  return parseWaivers(JSON.stringify({ version: 1, waivers: entries }), 'waivers.yaml', snapshot.now, rules);
}

async function subject(label: string, snapshot: Snapshot, waivers: LoadedWaiver[] = []): Promise<Subject> {
  const s: Subject = { label, snapshot, waivers, before: judged(snapshot, waivers), accepted: [], rejected: [] };
  for (const paths of pathsByShape(snapshot).values()) {
    for (const kind of ['delete', 'null'] as const) {
      // The schema judges a path by its shape: its first path stands for all of them.
      const first = paths[0] as Segment[];
      if (meaningOf(snapshot, first, kind) === 'value-changed') continue;
      (schemaAccepts(snapshot, first, kind) ? s.accepted : s.rejected).push({ paths, kind });
    }
  }
  return s;
}

const fieldMutation = (s: Subject): fc.Arbitrary<FieldMutation> =>
  fc.oneof(
    { weight: 9, arbitrary: fc.record({ accepted: fc.constant(true), pair: fc.nat({ max: s.accepted.length - 1 }), instance: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ accepted: fc.constant(false), pair: fc.nat({ max: s.rejected.length - 1 }), instance: fc.nat() }) },
  );

/**
 * Applies the mutations in turn (one taking away what an earlier one already removed is skipped)
 * and checks the property; throws an error naming seed, paths, rule and statuses.
 */
function holdsFor(s: Subject, ms: readonly FieldMutation[]): boolean {
  let mutated = s.snapshot;
  const removed: unknown[] = [];
  const done: string[] = [];
  let memberRemoved = false;
  for (const m of ms) {
    const { paths, kind } = (m.accepted ? s.accepted : s.rejected)[m.pair] as { paths: Segment[][]; kind: MutationKind };
    const path = paths[m.instance % paths.length] as Segment[];
    const value = valueAt(mutated, path);
    if (value === undefined) continue;
    const meaning = meaningOf(mutated, path, kind);
    if (meaning === 'value-changed') {
      tally.notEvidence++;
      continue;
    }
    memberRemoved ||= meaning === 'member-removed';
    removed.push(value);
    done.push(`${kind} ${describePath(path)} (${meaning})`);
    mutated = mutate(mutated, path, kind);
  }
  if (done.length === 0) return true;
  const where = `${done.join(', then ')} in ${s.label}`;
  try {
    validateSnapshot(mutated, 'mutated snapshot');
  } catch (e) {
    if (e instanceof InputError) {
      tally.rejected++;
      return true;
    }
    throw new Error(`seed ${PROPERTY_SEED}: validating the snapshot after ${where} threw ${String(e)} instead of an input error`);
  }
  tally.evaluated++;
  let after: Finding[];
  try {
    after = judged(mutated, s.waivers);
  } catch (e) {
    throw new Error(`seed ${PROPERTY_SEED}: the evaluation aborted after ${where}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const found = regressions(s.before, after, removed, memberRemoved);
  if (found.length > 0) {
    throw new Error(`seed ${PROPERTY_SEED}: less evidence was greener after ${where}:\n  ${found.map(describeRegression).join('\n  ')}`);
  }
  return true;
}

let demo: Subject;
const fleets: Subject[] = [];
let work: string;

beforeAll(async () => {
  requireBuiltBundle();
  const bundle = loadBundle();
  memo = await MemoEvaluator.create(bundle);
  engine = await Engine.create(bundle);
  const demoSnapshot = loadSnapshot(DEMO);
  demo = await subject('the demo fleet (with waivers)', demoSnapshot, waiversFor(demoSnapshot));
  fleets.push(await subject('the previous-month demo fleet', loadSnapshot(join(PACKAGE_ROOT, 'fixtures', 'demo', 'snapshot-previous.json'))));
  work = mkdtempSync(join(tmpdir(), 'vp-less-evidence-'));
  // Small generated fleets (the benchmark generator: every fifth vault HashiCorp, replication
  // pairs, event facts), each from its own seed.
  for (const seed of [1, 2, 3]) {
    const file = join(work, `fleet-${seed}.json`);
    writeFleet(file, { vaults: 10, objectsPerVault: 8, versions: 3, seed });
    fleets.push(await subject(`generated fleet (seed ${seed})`, loadSnapshot(file)));
  }
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
  const pairs = demo ? `; the demo fleet has ${demo.accepted.length} (path shape, mutation) pairs the schema accepts and ${demo.rejected.length} it rejects` : '';
  console.log(`less-evidence property (seed ${PROPERTY_SEED}): ${tally.evaluated} mutated snapshots evaluated, ${tally.rejected} rejected by the schema as input errors, ${tally.notEvidence} value changes skipped${pairs}`);
});

describe('less evidence is never greener (issue 15, property 1)', () => {
  it('evaluates like the engine: the remembered shard results give Engine.findings exactly', () => {
    const key = (f: Finding) => `${f.rule_id} ${f.resource.id} ${f.status} ${f.message}`;
    for (const s of [demo, ...fleets]) expect(s.before.map(key).sort()).toEqual(engine.evaluate(s.snapshot, { toolVersion: '0', waivers: s.waivers }).findings.map(key).sort());
    expect(demo.before.filter((f) => f.status === 'waived').length).toBeGreaterThan(0);
  });

  it('on the demo fleet: deleting or nulling any field, record or collection turns no finding greener and loses none', () => {
    fc.assert(
      fc.property(fieldMutation(demo), (m) => holdsFor(demo, [m])),
      propertyParameters(1),
    );
  });

  it('on other fleets: the same for any field of the previous-month demo fleet and of three generated fleets', () => {
    const arb = fc.nat({ max: fleets.length - 1 }).chain((i) => fieldMutation(fleets[i] as Subject).map((m) => ({ fleet: i, m })));
    fc.assert(
      fc.property(arb, ({ fleet, m }) => holdsFor(fleets[fleet] as Subject, [m])),
      propertyParameters(0.4),
    );
  });

  it('on the demo fleet: several fields, records or collections taken away at once turn no finding greener and lose none', () => {
    fc.assert(
      fc.property(fc.array(fieldMutation(demo), { minLength: 2, maxLength: 4 }), (ms) => holdsFor(demo, ms)),
      propertyParameters(0.25),
    );
  });

  it('has teeth: most mutations drawn are evaluated, not rejected by the schema', () => {
    expect(demo.accepted.length).toBeGreaterThan(50);
    expect(tally.evaluated).toBeGreaterThan(tally.rejected);
  });
});

/** Scopes a collector records for one vault (src/engine/unreadable-scopes.ts names the shapes). */
function scopesOf(vault: Snapshot['vaults'][string]): string[] {
  if (vault.provider === 'azure-keyvault') return ['', '/secrets', '/keys', '/certificates', '/deleted', '/diagnosticSettings', '/roleAssignments', '/config'].map((s) => `${vault.id}${s}`);
  const mounts = Object.keys(vault.hashicorp?.mounts ?? {});
  return ['mounts', 'policies', 'grants', 'audit', 'auth', 'collection', ...mounts.map((m) => `kv:${m}`)].map((p) => `${vault.id}#${p}`);
}

describe('an unreadable scope is never greener (issue 15, properties 1 and 2, scope mutations)', () => {
  it('on the demo and generated fleets: a vault scope marked incomplete leaves no finding of that vault passing and loses none', () => {
    const subjects = [demo, ...fleets];
    const arb = fc.record({ subject: fc.nat({ max: subjects.length - 1 }), vault: fc.nat(), scope: fc.nat(), reason: fc.constantFrom('HTTP 403 Forbidden', 'timeout after 3 attempts', 'malformed JSON') });
    fc.assert(
      fc.property(arb, ({ subject: which, vault, scope, reason }) => {
        const s = subjects[which] as Subject;
        const ids = Object.keys(s.snapshot.vaults).sort();
        const v = s.snapshot.vaults[ids[vault % ids.length] as string] as Snapshot['vaults'][string];
        const candidates = scopesOf(v);
        const id = candidates[scope % candidates.length] as string;
        // Flip the scope's entry to incomplete, or add one.
        const scopes = s.snapshot.scopes.filter((x) => x.scope !== id);
        scopes.push({ provider: v.provider, scope: id, status: 'incomplete', reason });
        const mutated = { ...s.snapshot, scopes };
        validateSnapshot(mutated, 'mutated snapshot');
        const after = judged(mutated, s.waivers);
        const where = `scope ${id} marked incomplete (${reason}) in ${s.label}`;
        const lost = regressions(s.before, after, undefined);
        // VP-WVR-001 judges the waiver file (read in full), not the vault's data; a consumer's findings
        // (VP-CON-*) judge its configuration files, which name the vault they read but are their own
        // scope (consumer:<id>), not the vault's.
        const passing = after.filter((f) => f.resource.vault === v.name && f.status === 'pass' && f.rule_id !== 'VP-WVR-001' && f.resource.type !== 'consumer');
        if (lost.length > 0 || passing.length > 0) {
          const lines = [...lost.map(describeRegression), ...passing.map((f) => `${f.rule_id} on ${f.resource.id}: pass inside the unreadable scope ("${f.message}")`)];
          throw new Error(`seed ${PROPERTY_SEED}: ${where}:\n  ${lines.slice(0, 20).join('\n  ')}${lines.length > 20 ? `\n  ... and ${lines.length - 20} more` : ''}`);
        }
        return true;
      }),
      propertyParameters(0.15),
    );
  });

  it('on the demo and generated fleets: an event source marked incomplete turns no finding greener and loses none', () => {
    const subjects = [demo, ...fleets];
    fc.assert(
      fc.property(fc.nat({ max: subjects.length - 1 }), fc.nat(), (which, source) => {
        const s = subjects[which] as Subject;
        const sources = s.snapshot.events?.sources ?? [];
        if (sources.length === 0) return true;
        const i = source % sources.length;
        const flipped = sources.map((x, j) => (j === i ? { ...x, status: 'incomplete' as const, reason: 'HTTP 403 Forbidden' } : x));
        const mutated = { ...s.snapshot, events: { ...(s.snapshot.events as NonNullable<Snapshot['events']>), sources: flipped } };
        validateSnapshot(mutated, 'mutated snapshot');
        const found = regressions(s.before, judged(mutated, s.waivers), undefined);
        if (found.length > 0) throw new Error(`seed ${PROPERTY_SEED}: event source ${sources[i]?.id} marked incomplete in ${s.label}:\n  ${found.map(describeRegression).join('\n  ')}`);
        return true;
      }),
      propertyParameters(0.05),
    );
  });
});
