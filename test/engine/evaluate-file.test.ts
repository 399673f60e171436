/**
 * A snapshot file evaluated vault by vault with its findings spilled to disk gives, byte for byte,
 * the document of the in-memory path (evaluateAsync, then the baseline, then `--only-failures`,
 * rendered by jsonChunks), and the same gate verdict: on the demo fleet, the test fixtures and a
 * generated fleet, plain, with waivers (in force and expired), with a baseline, and only failures;
 * in-process and through the compiled worker threads.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFleet } from '../../bench/fleet-generator.js';
import { applyBaseline } from '../../src/findings/baseline.js';
import { loadBundle } from '../../src/engine/bundle.js';
import { NothingEvaluatedError } from '../../src/engine/errors.js';
import { Engine } from '../../src/engine/evaluate.js';
import type { FindingsDocument, Severity } from '../../src/findings/types.js';
import { gate } from '../../src/findings/gate.js';
import type { PoolOptions } from '../../src/engine/pool.js';
import { parseWaivers, type LoadedWaiver } from '../../src/engine/waivers.js';
import { jsonChunks } from '../../src/findings/json-text.js';
import { streamOf } from '../../src/findings/stream.js';
import { openSnapshotFile } from '../../src/snapshot/snapshot-file.js';
import { loadSnapshot } from '../../src/snapshot/validate.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { DIST_WORKER, requireBuiltBundle, requireDistWorker } from '../support/prerequisites.js';
import { snapshot } from '../support/snapshot-builder.js';

const DEMO = join(PACKAGE_ROOT, 'fixtures', 'demo', 'snapshot.json');
const PREVIOUS = join(PACKAGE_ROOT, 'fixtures', 'demo', 'snapshot-previous.json');
const FIXTURES = readdirSync(join(PACKAGE_ROOT, 'test', 'fixtures', 'snapshots')).map((f) => join(PACKAGE_ROOT, 'test', 'fixtures', 'snapshots', f));

let engine: Engine;
let work: string;
let generated: string;
beforeAll(async () => {
  requireBuiltBundle();
  engine = await Engine.create(loadBundle());
  work = mkdtempSync(join(tmpdir(), 'vp-evalfile-'));
  generated = join(work, 'fleet.json');
  writeFleet(generated, { vaults: 7, objectsPerVault: 30, versions: 2 });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const text = (chunks: Iterable<string | Buffer>) => Buffer.concat([...chunks].map((c) => (typeof c === 'string' ? Buffer.from(c) : c))).toString('utf8');

interface Variant {
  waivers?: LoadedWaiver[];
  baseline?: FindingsDocument;
  onlyFailures?: boolean;
}

async function inMemory(file: string, v: Variant, pool: PoolOptions): Promise<FindingsDocument> {
  let doc = await engine.evaluateAsync(loadSnapshot(file), { toolVersion: '1.0.0', waivers: v.waivers ?? [], pool });
  if (v.baseline) doc = applyBaseline(doc, v.baseline);
  return doc;
}

async function compare(file: string, v: Variant, pool: PoolOptions = { workerScript: null }): Promise<{ findings: number }> {
  const doc = await inMemory(file, v, pool);
  const shown = v.onlyFailures ? { ...doc, findings: doc.findings.filter((f) => f.status !== 'pass') } : doc;
  const source = openSnapshotFile(file);
  const evaluation = await engine.evaluateFile(source, { toolVersion: '1.0.0', waivers: v.waivers ?? [], ...(v.baseline ? { baseline: v.baseline } : {}), onlyFailures: v.onlyFailures ?? false, pool, spillDir: work });
  try {
    expect(text(evaluation.chunks())).toBe(text(jsonChunks(shown)));
    // The same findings read back from the spill as a stream, twice (each pass reads the spill again).
    const stream = evaluation.stream();
    expect(stream.count).toBe(shown.findings.length);
    expect(stream.head).toEqual(streamOf(shown).head);
    expect(JSON.stringify([...stream.findings()])).toBe(JSON.stringify(shown.findings));
    expect([...stream.findings()].length).toBe(shown.findings.length);
    expect(text([...stream.text()].map((p) => (typeof p === 'string' ? p : Buffer.from(p))))).toBe(text(jsonChunks(shown)));
    for (const failOn of ['critical', 'high', 'low'] as Severity[]) {
      for (const failOnNew of v.baseline ? [false, true] : [false]) {
        const opts = { failOn, allowIncomplete: false, failOnNew };
        expect(evaluation.gate(opts)).toEqual(gate(doc, opts));
      }
    }
  } finally {
    evaluation.close();
    source.close();
  }
  // The spill is gone once closed.
  expect(readdirSync(work).filter((f) => f.startsWith('vaultproof-findings-'))).toEqual([]);
  return { findings: doc.findings.length };
}

function demoWaivers(): LoadedWaiver[] {
  const yaml = `version: 1
waivers:
  - rule: VP-ACC-003
    resource: "*"
    scope: all-resources
    reason: "Release pipeline split is scheduled for the next change window"
    approved_by: [alice@example.com, bob@example.com]
    expires: 2027-01-15
    ticket: CHG-7
  - rule: VP-ROT-001
    resource: "*"
    scope: all-resources
    reason: "CA migration blocks renewal until January"
    approved_by: [carol@example.com]
    expires: 2026-11-20
`;
  return parseWaivers(yaml, 'waivers.yaml', loadSnapshot(DEMO).now, new Set(engine.bundle.rulesById.keys()));
}

describe('evaluating a snapshot file vault by vault', () => {
  for (const file of [DEMO, PREVIOUS, ...FIXTURES]) {
    it(`gives the in-memory document and verdict on ${file.slice(PACKAGE_ROOT.length + 1)}`, async () => {
      expect((await compare(file, {})).findings).toBeGreaterThan(0);
      await compare(file, { onlyFailures: true });
    });
  }

  it('on a generated fleet, in-process', async () => {
    expect((await compare(generated, {})).findings).toBeGreaterThan(1000);
  });

  it('with waivers in force and expired (VP-WVR-001 findings included)', async () => {
    const waivers = demoWaivers();
    const doc = await inMemory(DEMO, { waivers }, { workerScript: null });
    expect(doc.findings.some((f) => f.status === 'waived')).toBe(true);
    expect(doc.findings.some((f) => f.rule_id === 'VP-WVR-001')).toBe(true);
    await compare(DEMO, { waivers });
    await compare(DEMO, { waivers, onlyFailures: true });
  });

  it('with a baseline (new, unchanged, fixed)', async () => {
    const baseline = await inMemory(PREVIOUS, {}, { workerScript: null });
    const doc = await inMemory(DEMO, { baseline }, { workerScript: null });
    expect(doc.summary.fixed).toBeGreaterThan(0);
    expect(doc.findings.some((f) => f.baseline === 'new')).toBe(true);
    expect(doc.findings.some((f) => f.baseline === 'unchanged')).toBe(true);
    await compare(DEMO, { baseline, waivers: demoWaivers(), onlyFailures: true });
  });

  it('through the compiled worker threads', async () => {
    if (!requireDistWorker()) return;
    const pool = { workers: 2, workerScript: DIST_WORKER };
    await compare(generated, {}, pool);
    await compare(DEMO, { waivers: demoWaivers(), baseline: await inMemory(PREVIOUS, {}, pool) }, pool);
  });

  it('a snapshot nothing applies to is an error, as in memory, and leaves no spill', async () => {
    const file = join(work, 'empty.json');
    writeFileSync(file, JSON.stringify(snapshot([])));
    await expect(engine.evaluateAsync(loadSnapshot(file), { toolVersion: '1' })).rejects.toThrow(NothingEvaluatedError);
    const source = openSnapshotFile(file);
    await expect(engine.evaluateFile(source, { toolVersion: '1', spillDir: work })).rejects.toThrow(NothingEvaluatedError);
    source.close();
    expect(readdirSync(work).filter((f) => f.startsWith('vaultproof-findings-'))).toEqual([]);
  });
});
