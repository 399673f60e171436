/**
 * The access review read from a snapshot source (vault by vault) and a findings stream writes the
 * same bytes as before, when it read a whole snapshot and a whole findings document (the reference:
 * test/review/reference/, the code as it was): access-review.json/.html/.csv, the attestation it
 * carries and the decisions template. On the demo fleet a month apart (roster, previous review,
 * attested decisions), the test fixtures, a snapshot whose vault keys are out of order and integer-like,
 * and a generated fleet read through openSnapshotFile with its findings spilled to disk.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { writeFleet } from '../../bench/fleet-generator.js';
import { sha256Hex } from '../../src/evidence/encoding.js';
import { loadBundle } from '../../src/engine/bundle.js';
import { Engine } from '../../src/engine/evaluate.js';
import { streamOf, type FindingsStream } from '../../src/findings/stream.js';
import type { FindingsDocument } from '../../src/findings/types.js';
import { decisionsTemplate, parseDecisions } from '../../src/review/attestation.js';
import type { ReviewConfig } from '../../src/review/config.js';
import { reviewPackFiles, REVIEW_FILES, type PackFile } from '../../src/review/pack.js';
import { reviewInputs, type PreviousReview } from '../../src/review/inputs.js';
import { reviewPackFilesOf, scanReviewFiles } from '../../src/review/index.js';
import { reviewSourceOf, type ReviewSource } from '../../src/review/source.js';
import type { ReviewDocument } from '../../src/review/types.js';
import { openSnapshotFile, withHead } from '../../src/snapshot/snapshot-file.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { loadSnapshot } from '../../src/snapshot/validate.js';
import { buildReview as buildReviewWhole } from './reference/review-whole.js';
import { buildMatrix as buildMatrixWhole } from './reference/matrix-whole.js';
import { buildMatrix } from '../../src/review/matrix.js';
import { DEMO, DEMO_PREVIOUS, ROOT, tempDir } from './helpers.js';

const TV = '0.0.0-test';
const bundle = loadBundle();
const RULE_IDS = bundle.catalog.rules.map((r) => r.id);
let engine: Engine;
const engineFor = new Map<string, Engine>();

/** An engine with the review's inputs as data.config.review (one per distinct policy). */
async function engineWith(policy: object): Promise<Engine> {
  const key = JSON.stringify(policy);
  let e = engineFor.get(key);
  if (!e) {
    e = await Engine.create(bundle, { review: policy });
    engineFor.set(key, e);
  }
  return e;
}

/** Every file the pack carries of the review, and the decisions template of its JSON. */
function withTemplate(files: PackFile[], doc: () => ReviewDocument): Record<string, string> {
  const out = Object.fromEntries(files.map((f) => [f.name, f.content]));
  const json = out[REVIEW_FILES.json] as string;
  return { ...out, 'decisions.yaml': decisionsTemplate(doc(), sha256Hex(json)) };
}

function parseJsonReview(files: PackFile[]): ReviewDocument {
  return JSON.parse(files.find((f) => f.name === REVIEW_FILES.json)?.content as string) as ReviewDocument;
}

/** The files as the review built them before: whole snapshot, whole findings document. */
function filesBefore(snapshot: Snapshot, findings: FindingsDocument, config: ReviewConfig, previous?: PreviousReview): Record<string, string> {
  const inputs = reviewInputs(snapshot, Object.keys(snapshot.vaults), config, previous);
  const doc = buildReviewWhole({ snapshot: inputs.snapshot, findings, toolVersion: TV, config, notes: inputs.notes, ...(previous ? { previous } : {}) });
  return withTemplate(reviewPackFiles(doc, previous?.attestation), () => doc);
}

/** The files as the review builds them now: a source read vault by vault and a findings stream. */
function filesNow(source: ReviewSource, findings: FindingsStream, config: ReviewConfig, previous?: PreviousReview, ruleIds: Iterable<string> | undefined = RULE_IDS): Record<string, string> {
  const inputs = reviewInputs(source.head, source.vaultIds, config, previous);
  const files = reviewPackFilesOf({ config, inputs }, findings, { ...source, head: inputs.snapshot }, TV, ruleIds);
  return withTemplate(files, () => parseJsonReview(files));
}

/** Evaluates a whole snapshot with the review's inputs, as a scan does before the review reads its findings. */
async function findingsOf(snapshot: Snapshot, config: ReviewConfig, previous?: PreviousReview): Promise<FindingsDocument> {
  const inputs = reviewInputs(snapshot, Object.keys(snapshot.vaults), config, previous);
  return (await engineWith(inputs.policy)).evaluate(inputs.snapshot, { toolVersion: TV });
}

/** Asserts both ways give the same files (and that there are files to compare); returns them. */
async function sameFiles(snapshot: Snapshot, config: ReviewConfig = {}, previous?: PreviousReview): Promise<Record<string, string>> {
  const findings = await findingsOf(snapshot, config, previous);
  const before = filesBefore(snapshot, findings, config, previous);
  const now = filesNow(reviewSourceOf(snapshot), streamOf(findings), config, previous);
  expect(Object.keys(now).sort()).toEqual(Object.keys(before).sort());
  for (const name of Object.keys(before)) expect({ name, content: now[name] }).toEqual({ name, content: before[name] });
  // Without the catalog's rule ids the whole stream is read once: the same files.
  expect(filesNow(reviewSourceOf(snapshot), streamOf(findings), config, previous, undefined)).toEqual(before);
  return before;
}

const demo = (): Snapshot => loadSnapshot(DEMO);
const demoPrevious = (): Snapshot => loadSnapshot(DEMO_PREVIOUS);

/** October's review, attested: the contractors' assignments and the ops-legacy grants revoked. */
async function attestedOctober(): Promise<PreviousReview> {
  const oct = demoPrevious();
  const findings = await findingsOf(oct, {});
  const files = filesBefore(oct, findings, {});
  const json = files[REVIEW_FILES.json] as string;
  const doc = JSON.parse(json) as ReviewDocument;
  const sha256 = sha256Hex(json);
  const filled = parse(files['decisions.yaml'] as string) as { completed_at: string; reviewers: string[]; decisions: Array<Record<string, string>> };
  filled.completed_at = '2026-10-30';
  filled.reviewers = ['ciso@contoso.example'];
  for (const d of filled.decisions) {
    const revoke = (d.grant as string).includes('aad:grp-contractors') || (d.grant as string).includes('ops-legacy');
    d.decision = revoke ? 'revoke' : 'keep';
    d.reason = revoke ? 'no owner' : '';
  }
  const attestation = parseDecisions(stringify(filled), 'decisions.yaml', doc, sha256);
  expect(attestation.decisions.some((d) => d.decision === 'revoke')).toBe(true);
  return { review: doc, sha256, source: 'access-review.json', attestation, attestationSource: 'attestation.json' };
}

beforeAll(async () => {
  engine = await engineWith({});
});

describe('the review read vault by vault and from a findings stream: the same bytes as from whole inputs', () => {
  test('demo fleet, no config, no previous review', async () => {
    const files = await sameFiles(demo());
    expect(files[REVIEW_FILES.csv]?.split('\n').length).toBeGreaterThan(20);
  });

  test('demo fleet with a roster, October as the previous review, attested (diff, revocations checked, attestation carried)', async () => {
    const previous = await attestedOctober();
    const files = await sameFiles(demo(), { roster: ['aad:mi-orchestrator', 'Platform Admins'] }, previous);
    expect(files[REVIEW_FILES.attestation]).toBeDefined();
    const doc = JSON.parse(files[REVIEW_FILES.json] as string) as ReviewDocument;
    expect(doc.diff?.grants.length).toBeGreaterThan(0);
    expect(doc.attestation_check?.revoked).toBeGreaterThan(0);
  });

  test('demo fleet a month earlier, and the test fixtures', async () => {
    await sameFiles(demoPrevious(), { roster: ['Platform Admins'] });
    for (const name of ['boundaries.json', 'incomplete-scan.json']) await sameFiles(loadSnapshot(join(ROOT, 'test', 'fixtures', 'snapshots', name)));
  });

  test('vault keys out of order and integer-like, vaults cloned with their grants, one without any', async () => {
    const base = demo();
    const [firstId, first] = Object.entries(base.vaults)[0] as [string, Snapshot['vaults'][string]];
    const vaults: Snapshot['vaults'] = {};
    for (const id of ['zz-last', '10', '2', ...Object.keys(base.vaults).reverse()]) {
      const clone = id === 'zz-last' || id === '10' || id === '2';
      const from = clone ? first : (base.vaults[id] as Snapshot['vaults'][string]);
      // A clone's objects get ids of their own (a finding's resource is the object).
      const objects = clone ? Object.fromEntries(Object.values(from.objects).map((o) => [`${o.id}-${id}`, { ...o, id: `${o.id}-${id}` }])) : from.objects;
      vaults[id] = { ...from, id, objects };
    }
    const grants = { ...base.grants };
    for (const g of Object.values(base.grants).filter((x) => x.vault === firstId)) {
      for (const id of ['10', '2']) grants[`${g.id}#${id}`] = { ...g, id: `${g.id}#${id}`, vault: id };
    }
    const snapshot = { ...base, vaults, grants } as Snapshot;
    // Written to a file and read back as the CLI reads it (the schema and invariants hold).
    const file = join(tempDir('order'), 'snapshot.json');
    writeFileSync(file, JSON.stringify(snapshot));
    const whole = loadSnapshot(file);
    expect(Object.keys(whole.vaults).slice(0, 2)).toEqual(['2', '10']);
    const files = await sameFiles(whole);
    const doc = JSON.parse(files[REVIEW_FILES.json] as string) as ReviewDocument;
    expect(doc.vaults.map((v) => v.id)).toContain('10');
    expect(doc.grants.some((g) => g.vault === '10' && g.objects > 0)).toBe(true);
  });

  test('a snapshot file read vault by vault (openSnapshotFile) with findings spilled to disk, against the same snapshot whole', async () => {
    const dir = tempDir('fleet');
    const file = join(dir, 'fleet.json');
    writeFleet(file, { vaults: 12, objectsPerVault: 40, versions: 2 });
    const whole = loadSnapshot(file);
    const doc = engine.evaluate(whole, { toolVersion: TV });
    const before = filesBefore(whole, doc, {});
    expect(JSON.parse(before[REVIEW_FILES.json] as string).grants.length).toBeGreaterThan(10);
    const source = openSnapshotFile(file);
    const evaluation = await engine.evaluateFile(source, { toolVersion: TV, spillDir: dir });
    try {
      const read: string[] = [];
      const counted: ReviewSource = { head: source.head, vaultIds: source.vaultIds, readVault: (id) => (read.push(id), source.readVault(id)) };
      expect(filesNow(counted, evaluation.stream(), {})).toEqual(before);
      // Each vault read once.
      expect(read).toEqual([...source.vaultIds]);
      // The demo through its file too, with October's attested review as the previous one.
      const previous = await attestedOctober();
      const demoFile = openSnapshotFile(DEMO);
      const findings = await findingsOf(demo(), {}, previous);
      expect(filesNow(withHead(demoFile, demoFile.head), streamOf(findings), {}, previous)).toEqual(filesBefore(demo(), findings, {}, previous));
      demoFile.close();
    } finally {
      evaluation.close();
      source.close();
    }
  }, 120_000);

  test('the matrix of an unvalidated snapshot: grants on vaults and principals it lacks reach nothing, as before', () => {
    const base = demo();
    const stray = Object.values(base.grants)[0] as Snapshot['grants'][string];
    const grants = { ...base.grants, stray: { ...stray, id: 'stray', vault: 'not-in-snapshot' }, ghost: { ...stray, id: 'ghost', principal: 'aad:ghost' } };
    const snapshot = { ...base, grants };
    const m = buildMatrix(reviewSourceOf(snapshot), ['Platform Admins']);
    expect(JSON.stringify(m)).toBe(JSON.stringify(buildMatrixWhole(snapshot, ['Platform Admins'])));
    expect(m.grants.find((g) => g.id === 'stray')?.objects).toBe(0);
    expect(m.notes.some((n) => n.includes('aad:ghost'))).toBe(true);
  });

  test('scanReviewFiles (whole snapshot, whole document) is reviewPackFilesOf their source and stream', async () => {
    const snapshot = demo();
    const findings = await findingsOf(snapshot, {});
    const inputs = reviewInputs(snapshot, Object.keys(snapshot.vaults), {});
    const files = scanReviewFiles({ config: {}, inputs }, findings, TV);
    expect(withTemplate(files, () => parseJsonReview(files))).toEqual(filesBefore(snapshot, findings, {}));
  });
});
