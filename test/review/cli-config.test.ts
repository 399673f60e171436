/**
 * `vaultproof review` and `vaultproof review attest` end to end through the CLI entry, the `review:`
 * config block (path-precise errors), and the demo generator (default output unchanged, the previous
 * month reproducible).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { run } from '../../src/cli/main.js';
import { parseReviewConfig } from '../../src/review/config.js';
import { fakeConsole } from '../support/fake-console.js';
import { DEMO, DEMO_PREVIOUS, ROOT, tempDir } from './helpers.js';

describe('review config block', () => {
  it('accepts roster, previous and attestation, resolving paths against the config file', () => {
    expect(parseReviewConfig({ roster: ['a', 'b'], previous: 'packs/2026-10', attestation: 'att.json' }, '/etc/vp/vaultproof.yaml')).toEqual({
      roster: ['a', 'b'], previous: '/etc/vp/packs/2026-10', attestation: '/etc/vp/att.json',
    });
    expect(parseReviewConfig(undefined, 'x.yaml')).toEqual({});
  });
  it('names the file and the path of a mistake', () => {
    expect(() => parseReviewConfig({ roster: 'aad:x' }, 'vaultproof.yaml')).toThrow('vaultproof.yaml: $.review.roster: expected array');
    expect(() => parseReviewConfig({ roster: ['a', ''] }, 'vaultproof.yaml')).toThrow('vaultproof.yaml: $.review.roster[1]: expected a value that must NOT have fewer than 1 characters');
    expect(() => parseReviewConfig({ rosta: [] }, 'vaultproof.yaml')).toThrow('vaultproof.yaml: $.review.rosta: is not an allowed property');
    expect(() => parseReviewConfig([], 'vaultproof.yaml')).toThrow('vaultproof.yaml: $.review: expected object');
  });
});

describe('vaultproof review (CLI)', () => {
  const work = tempDir('cli');
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('reviews October, attests it, and reviews November against it with the config block', async () => {
    const oct = join(work, 'oct');
    let io = fakeConsole();
    expect(await run(['review', '--snapshot', DEMO_PREVIOUS, '--out-dir', oct], io)).toBe(0);
    expect(io.stderr).toMatch(/access review AR-2026-10-29-0000de6a: 25 principal\(s\), 38 grant\(s\), 49 matrix row\(s\)/);
    const decisions = parse(readFileSync(join(oct, 'access-review-decisions.yaml'), 'utf8')) as { completed_at: string; reviewers: string[]; decisions: Array<Record<string, string>> };
    decisions.completed_at = '2026-10-31';
    decisions.reviewers = ['ciso@contoso.example'];
    for (const d of decisions.decisions) {
      d.decision = d.grant!.includes('group:ops-legacy|') ? 'revoke' : 'keep';
      if (d.decision === 'revoke') d.reason = 'legacy group reads every secret';
    }
    writeFileSync(join(oct, 'decisions.yaml'), stringify(decisions));
    const att = join(work, 'attestation.json');
    io = fakeConsole();
    expect(await run(['review', 'attest', join(oct, 'decisions.yaml'), att, '--review', join(oct, 'access-review.json')], io)).toBe(0);
    expect(io.stdout).toContain('attested AR-2026-10-29-0000de6a: 38 decision(s), 1 revoke, 37 keep, by ciso@contoso.example on 2026-10-31');

    const config = join(work, 'vaultproof.yaml');
    writeFileSync(config, stringify({ version: 1, review: { roster: ['aad:mi-orchestrator'], previous: 'oct/access-review.json', attestation: 'attestation.json' } }));
    io = fakeConsole();
    const out = join(work, 'nov.csv');
    expect(await run(['review', '--demo', '-c', config, '-f', 'csv', '-o', out], io)).toBe(0);
    expect(io.stderr).toContain('since AR-2026-10-29-0000de6a: 2 added, 6 removed, 2 widened, 1 narrowed; 1 revocation(s) not carried out');
    expect(readFileSync(out, 'utf8')).toContain('"aad:mi-orchestrator"');

    io = fakeConsole();
    expect(await run(['review', '--snapshot', DEMO, '--previous', join(oct, 'access-review.json'), '--attestation', att, '-f', 'json'], io)).toBe(0);
    const doc = JSON.parse(io.stdout) as { findings: Array<{ rule_id: string; status: string }> };
    expect(doc.findings.filter((f) => f.rule_id === 'VP-REV-005').map((f) => f.status)).toEqual(['fail']);
  });

  it('bad input exits 2 with one line naming the file and the path', async () => {
    const bad = join(work, 'bad.yaml');
    writeFileSync(bad, stringify({ version: 1, review: { roster: [1] } }));
    let io = fakeConsole();
    expect(await run(['review', '--demo', '-c', bad], io)).toBe(2);
    expect(io.stderr.trim()).toBe(`vaultproof: error: ${bad}: $.review.roster[0]: expected string`);
    io = fakeConsole();
    expect(await run(['review'], io)).toBe(2);
    expect(io.stderr).toContain('expected --snapshot FILE');
    io = fakeConsole();
    expect(await run(['review', '--demo', '--previous', join(work, 'nope')], io)).toBe(2);
    expect(io.stderr).toContain('nope: not found');
    const dec = join(work, 'dec.yaml');
    writeFileSync(dec, 'review_id: x\n');
    io = fakeConsole();
    expect(await run(['review', 'attest', dec, join(work, 'a.json'), '--review', join(work, 'oct', 'access-review.json')], io)).toBe(2);
    expect(io.stderr.trim()).toBe(`vaultproof: error: ${dec}: $.review_sha256: is required but missing`);
  });
});

describe('demo fleet generator', () => {
  it('keeps the default output byte-identical and reproduces the previous month', () => {
    const work = tempDir('gen');
    try {
      execFileSync('node', [join(ROOT, 'scripts', 'generate-demo-fleet.mjs'), join(work, 'cur.json')], { stdio: 'pipe' });
      execFileSync('node', [join(ROOT, 'scripts', 'generate-demo-fleet.mjs'), '--previous-month', join(work, 'prev.json')], { stdio: 'pipe' });
      expect(readFileSync(join(work, 'cur.json'), 'utf8')).toBe(readFileSync(DEMO, 'utf8'));
      expect(readFileSync(join(work, 'prev.json'), 'utf8')).toBe(readFileSync(DEMO_PREVIOUS, 'utf8'));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
