/**
 * One rulebook (issue 18.3): the review's rules VP-REV-001…005 are Rego rules in the catalog
 * (policies/review), listed by `rules` and explained by `explain`; a scan's findings carry them, and
 * the access review in its evidence pack is built from that one evaluation (its findings are the
 * scan's VP-ACC/VP-REV findings, byte for byte); src/review reads neither collectors nor packs.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { run } from '../../src/cli/main.js';
import { isReviewFinding } from '../../src/review/review.js';
import type { ReviewDocument } from '../../src/review/types.js';
import type { FindingsDocument } from '../../src/findings/types.js';
import { fakeConsole } from '../support/fake-console.js';
import { DEMO, DEMO_PREVIOUS, ROOT, tempDir } from './helpers.js';

const REV = ['VP-REV-001', 'VP-REV-002', 'VP-REV-003', 'VP-REV-004', 'VP-REV-005'];
const KEY = join(ROOT, 'test', 'golden', 'keys', 'golden.key');

describe('the review rules are in the catalog', () => {
  it('`rules` lists them, each from its own file in policies/review with its test beside it', async () => {
    const io = fakeConsole();
    expect(await run(['rules', '--format', 'json'], io)).toBe(0);
    const rules = (JSON.parse(io.stdout) as { rules: Array<{ id: string; family: string; source_file: string; severity: string }> }).rules.filter((r) => r.id.startsWith('VP-REV-'));
    expect(rules.map((r) => r.id)).toEqual(REV);
    const files = readdirSync(join(ROOT, 'policies', 'review'));
    for (const r of rules) {
      expect(r.family).toBe('review');
      expect(r.source_file).toMatch(new RegExp(`^policies/review/${r.id}_[a-z_]+\\.rego$`));
      expect(files).toContain(r.source_file.replace('policies/review/', '').replace('.rego', '_test.rego'));
    }
    expect(rules.map((r) => r.severity)).toEqual(['high', 'medium', 'medium', 'high', 'high']);
  });

  it('`explain VP-REV-001` explains it from its METADATA', async () => {
    const io = fakeConsole();
    expect(await run(['explain', 'VP-REV-001'], io)).toBe(0);
    expect(io.stdout).toContain('VP-REV-001 — No principal can write to paths outside its own subsystem');
    expect(io.stdout).toContain('metric: OutsideSubsystemWrite');
    expect(io.stdout).toMatch(/Source: policies\/review\/VP-REV-001_outside_subsystem_write\.rego:1/);
  });
});

describe('a scan judges the review rules once; its pack\'s review shows those findings', () => {
  const work = tempDir('one-rulebook');
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('evaluate -c (roster, previous, attestation) --evidence-pack', async () => {
    // October's review, attested: the ops-legacy group grant is to be revoked (it is not, in November).
    const oct = join(work, 'oct');
    expect(await run(['review', '--snapshot', DEMO_PREVIOUS, '--out-dir', oct], fakeConsole())).toBe(0);
    const decisions = parse(readFileSync(join(oct, 'access-review-decisions.yaml'), 'utf8')) as { completed_at: string; reviewers: string[]; decisions: Array<Record<string, string>> };
    decisions.completed_at = '2026-10-31';
    decisions.reviewers = ['ciso@contoso.example'];
    for (const d of decisions.decisions) {
      d.decision = d.grant!.includes('group:ops-legacy|') ? 'revoke' : 'keep';
      if (d.decision === 'revoke') d.reason = 'legacy group reads every secret';
    }
    writeFileSync(join(oct, 'decisions.yaml'), stringify(decisions));
    expect(await run(['review', 'attest', join(oct, 'decisions.yaml'), join(work, 'attestation.json'), '--review', join(oct, 'access-review.json')], fakeConsole())).toBe(0);
    const config = join(work, 'vaultproof.yaml');
    writeFileSync(config, stringify({ version: 1, review: { roster: ['aad:mi-orchestrator', 'Platform Admins'], previous: 'oct/access-review.json', attestation: 'attestation.json' } }));

    const pack = join(work, 'pack');
    const findingsFile = join(work, 'findings.json');
    const io = fakeConsole();
    await run(['evaluate', DEMO, '-c', config, '--format', 'json', '--out', findingsFile, '--evidence-pack', pack, '--sign', `ed25519:${KEY}`], io);
    const doc = JSON.parse(readFileSync(findingsFile, 'utf8')) as FindingsDocument;
    const judged = new Set(doc.findings.map((f) => f.rule_id));
    for (const id of REV) expect(judged.has(id)).toBe(true);
    expect(doc.findings.filter((f) => f.rule_id === 'VP-REV-005').map((f) => [f.status, f.resource.path])).toEqual([['fail', 'secret/*']]);
    expect(doc.findings.find((f) => f.rule_id === 'VP-REV-004' && f.resource.id === 'aad:mi-orchestrator')?.status).toBe('pass');

    const review = JSON.parse(readFileSync(join(pack, 'access-review.json'), 'utf8')) as ReviewDocument;
    expect(JSON.stringify(review.findings)).toBe(JSON.stringify(doc.findings.filter(isReviewFinding)));
    expect(review.scan.policy_bundle_sha256).toBe(doc.scan.policy_bundle_sha256);
    expect(review.attestation_check).toMatchObject({ revoked: 1, carried_out: 0, not_carried_out: [doc.findings.find((f) => f.rule_id === 'VP-REV-005')!.resource.id] });
    expect(review.roster).toEqual({ configured: true, size: 2 });
  });

  it('`evaluate` without a review block judges VP-REV-001…003 and no roster or revocation', async () => {
    const io = fakeConsole();
    await run(['evaluate', DEMO, '--format', 'json'], io);
    const doc = JSON.parse(io.stdout) as FindingsDocument;
    const counts = (id: string) => doc.findings.filter((f) => f.rule_id === id).length;
    expect(REV.map(counts)).toEqual([10, 20, 30, 0, 0]);
  });
});

describe('layering', () => {
  it('src/review imports nothing from src/collectors or src/evidence', () => {
    const dir = join(ROOT, 'src', 'review');
    const offending = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => /^\s*(import|export)\b.*from '\.\.\/(collectors|evidence)\//.test(l)).map((l) => `${f}: ${l.trim()}`));
    expect(offending).toEqual([]);
  });
});
