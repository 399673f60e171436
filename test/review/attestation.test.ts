/**
 * Attestation round trip on the demo fleet: October's review -> reviewers' decisions (validated with
 * path-precise errors) -> attestation signed into the evidence pack with the review -> November's
 * review reads the October pack as --previous: the revocation that was not carried out fails
 * VP-REV-005, the ones carried out pass, and the attested date feeds VaultAccessReview (VP-ACC-006).
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadBundle } from '../../src/engine/bundle.js';
import { Engine } from '../../src/engine/evaluate.js';
import { verifyEvidencePack } from '../../src/evidence/verify.js';
import { writeEvidencePack } from '../../src/evidence/writer.js';
import { decisionsTemplate, parseDecisions } from '../../src/review/attestation.js';
import { reviewPackFiles, REVIEW_FILES } from '../../src/review/pack.js';
import { loadPreviousReview } from '../../src/review/previous.js';
import { readVerifiedPack } from '../../src/evidence/verified-pack.js';
import type { Attestation, ReviewDocument } from '../../src/review/types.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { renderAccessReviewJson } from '../../src/review/view/access-review-json.js';
import { sha256Hex } from '../../src/evidence/encoding.js';
import { testSigner } from '../evidence/helpers.js';
import { november, october, review, tempDir } from './helpers.js';

const HV = 'hashicorp-vault:vault-weu';
const OPS_LEGACY_GRANT = `${HV}|${HV}:group:ops-legacy|secret/*|ops-legacy`;
const RITO_GRANT = `${HV}|${HV}:entity:r.ito|secret/*|ops-legacy`;

interface Filled { review_id: string; review_sha256: string; completed_at: string; reviewers: string[]; decisions: Array<Record<string, string>> }

/** The reviewers' work: revoke the contractors' assignments and the ops-legacy grants, keep the rest. */
function fill(template: string): Filled {
  const doc = parse(template) as Filled;
  doc.completed_at = '2026-10-30';
  doc.reviewers = ['ciso@contoso.example', 'platform-lead@contoso.example'];
  for (const d of doc.decisions) {
    const revoke = d.grant!.includes('aad:grp-contractors') || d.grant === OPS_LEGACY_GRANT || d.grant === RITO_GRANT;
    d.decision = revoke ? 'revoke' : 'keep';
    d.reason = revoke ? 'no owner; reads secrets of every subsystem' : '';
    if (revoke) d.reviewer = 'ciso@contoso.example';
  }
  return doc;
}

async function pack(dir: string, snapshot: Snapshot, files: Array<{ name: string; content: string }>, clock: string, previous?: string): Promise<void> {
  const bundle = loadBundle();
  const engine = await Engine.create(bundle);
  await writeEvidencePack({
    findings: engine.evaluate(snapshot, { toolVersion: 't' }), snapshot, catalog: bundle.catalog, waivers: [], extraFiles: files,
    signer: testSigner(), outDir: dir, clock: () => new Date(clock), ...(previous ? { previous } : {}),
  });
}

describe('attestation round trip', () => {
  const work = tempDir('attest');
  const octPack = join(work, 'pack-2026-10');
  const novPack = join(work, 'pack-2026-11');
  let oct: ReviewDocument;
  let octJson: string;
  let template: string;
  let attestation: Attestation;
  let nov: ReviewDocument;
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  beforeAll(async () => {
    oct = await review(october());
    octJson = renderAccessReviewJson(oct);
    template = decisionsTemplate(oct, sha256Hex(octJson));
    // October's pack carries October's review.
    await pack(octPack, october(), reviewPackFiles(oct), '2026-10-29T06:00:00Z');
  });

  it('the decisions template lists every grant, pending', () => {
    const t = parse(template) as Filled;
    expect(t.review_id).toBe(oct.review_id);
    expect(t.decisions.map((d) => d.grant)).toEqual(oct.grants.map((g) => g.id));
    expect(new Set(t.decisions.map((d) => d.decision))).toEqual(new Set(['pending']));
    expect(t.decisions.find((d) => d.grant === RITO_GRANT)?.scope).toBe('secret/* (except secret/project/control-plane/*)');
  });

  it('rejects bad decisions with the file and the path inside it', () => {
    const sha = sha256Hex(octJson);
    const bad = (mutate: (f: Filled) => void): string => {
      const f = fill(template);
      mutate(f);
      return JSON.stringify(f);
    };
    const attempt = (text: string) => () => parseDecisions(text, 'decisions.yaml', oct, sha);
    expect(attempt(template)).toThrow('decisions.yaml: $.completed_at: expected a value that must match format "date"');
    expect(attempt(bad((f) => (f.decisions[3]!.decision = 'pending')))).toThrow('decisions.yaml: $.decisions[3].decision: expected one of "keep", "revoke"');
    expect(attempt(bad((f) => (f.decisions[2]!.grant = 'made-up')))).toThrow('decisions.yaml: $.decisions[2].grant: grant "made-up" is not in review');
    expect(attempt(bad((f) => (f.decisions[5]!.grant = f.decisions[4]!.grant!)))).toThrow(/\$\.decisions\[5\]\.grant: grant ".*" already decided at \$\.decisions\[4\]/);
    expect(attempt(bad((f) => f.decisions.pop()))).toThrow(/decisions\.yaml: \$\.decisions: 1 grant\(s\) of the review have no decision/);
    expect(attempt(bad((f) => (f.review_sha256 = '0'.repeat(64))))).toThrow('decisions.yaml: $.review_sha256: expected ' + sha);
    expect(attempt(bad((f) => (f.completed_at = '2026-10-01')))).toThrow("decisions.yaml: $.completed_at: expected a date on or after the review's scan date 2026-10-29, found 2026-10-01");
    expect(attempt(bad((f) => { const d = f.decisions.find((x) => x.decision === 'revoke')!; d.reason = ' '; }))).toThrow(/\$\.decisions\[\d+\]\.reason: a revoke decision needs a reason/);
    expect(attempt(bad((f) => (f.decisions[0]!.reviewer = 'mallory@example.com')))).toThrow('$.decisions[0].reviewer: expected one of the reviewers');
    expect(attempt(bad((f) => ((f as unknown as Record<string, unknown>).extra = 1)))).toThrow('decisions.yaml: $.extra: is not an allowed property');
  });

  it('validates the filled decisions into an attestation', () => {
    attestation = parseDecisions(JSON.stringify(fill(template)), 'decisions.yaml', oct, sha256Hex(octJson));
    expect(attestation.decisions).toHaveLength(oct.grants.length);
    expect(attestation.decisions.filter((d) => d.decision === 'revoke').map((d) => d.grant).sort()).toEqual(
      [...oct.grants.filter((g) => g.principal === 'aad:grp-contractors').map((g) => g.id), OPS_LEGACY_GRANT, RITO_GRANT].sort(),
    );
  });

  it('next month, the October pack as --previous: a revocation not carried out fails VP-REV-005', async () => {
    const attFile = join(work, 'attestation.json');
    writeFileSync(attFile, JSON.stringify(attestation));
    const previous = await loadPreviousReview(octPack, readVerifiedPack, attFile);
    expect(previous.sha256).toBe(sha256Hex(octJson));
    nov = await review(november(), { previous });
    const rev = nov.findings.filter((f) => f.rule_id === 'VP-REV-005');
    expect(rev).toHaveLength(7);
    expect(rev.filter((f) => f.status === 'fail')).toEqual([expect.objectContaining({
      resource: { provider: 'hashicorp-vault', vault: 'vault-weu', type: 'grant', id: OPS_LEGACY_GRANT, path: 'secret/*' },
      metric: { name: 'RevocationCarriedOut', value: false, op: '==', threshold: true },
      message: `revocation of 'ops-legacy' on 'secret/*' decided in ${oct.review_id} on 2026-10-30 (reason: no owner; reads secrets of every subsystem) was not carried out: the grant is still present`,
    })]);
    expect(rev.filter((f) => f.status === 'pass')).toHaveLength(6);
    expect(nov.attestation_check).toEqual({
      review_id: oct.review_id, review_sha256: sha256Hex(octJson), completed_at: '2026-10-30', reviewers: ['ciso@contoso.example', 'platform-lead@contoso.example'],
      revoked: 7, carried_out: 6, not_carried_out: [OPS_LEGACY_GRANT], kept: oct.grants.length - 7,
    });
  });

  it('the attested review date feeds VaultAccessReview (VP-ACC-006)', async () => {
    const plain = await review(november());
    const conWeu = '/subscriptions/6f1c2d3e-0000-4000-8000-00000000d3m0/resourcegroups/rg-connectors/providers/microsoft.keyvault/vaults/kv-connectors-weu';
    const acc6 = (doc: ReviewDocument) => doc.findings.find((f) => f.rule_id === 'VP-ACC-006' && f.resource.id === conWeu)!;
    expect(acc6(plain)).toMatchObject({ status: 'fail', metric: { value: 44 } });
    expect(acc6(nov)).toMatchObject({ status: 'pass', metric: { value: 30 }, message: `last access review ${oct.review_id} was completed 30 days ago by ciso@contoso.example, platform-lead@contoso.example` });
    // vault-neu was never reviewed before: now it is, by the October review.
    expect(nov.findings.filter((f) => f.rule_id === 'VP-ACC-006' && f.status === 'fail')).toEqual([]);
  });

  it('November\'s pack signs the attestation with the review, verifies, and is read back next month', async () => {
    await pack(novPack, november(), reviewPackFiles(nov, attestation), '2026-11-29T06:00:00Z', octPack);
    const report = await verifyEvidencePack(novPack, {});
    expect(report.exitCode).toBe(0);
    const manifest = JSON.parse(readFileSync(join(novPack, 'manifest.json'), 'utf8')) as { files: Array<{ name?: string; path?: string }> };
    const names = JSON.stringify(manifest);
    for (const f of Object.values(REVIEW_FILES)) expect(names).toContain(f);
    expect(JSON.parse(readFileSync(join(novPack, REVIEW_FILES.attestation), 'utf8'))).toEqual(attestation);
    // December reads November's pack: its attestation answers October's review, not November's, so it is not applied.
    const dec = await loadPreviousReview(novPack, readVerifiedPack);
    expect(dec.review.review_id).toBe(nov.review_id);
    expect(dec.attestation).toBeUndefined();
  });

  it('refuses a tampered previous pack and an attestation of another review', async () => {
    const tampered = join(work, 'pack-tampered');
    cpSync(octPack, tampered, { recursive: true });
    const file = join(tampered, REVIEW_FILES.json);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"ops-legacy"', '"ops-legacy-x"'));
    await expect(loadPreviousReview(tampered, readVerifiedPack)).rejects.toThrow(/the previous evidence pack does not verify, refusing to use it/);
    const other = join(work, 'other-attestation.json');
    writeFileSync(other, JSON.stringify({ ...attestation, review_sha256: 'f'.repeat(64) }));
    const previous = await loadPreviousReview(octPack, readVerifiedPack, other);
    await expect(review(november(), { previous })).rejects.toThrow(`${other}: $.review_sha256: expected ${sha256Hex(octJson)}`);
  });
});
