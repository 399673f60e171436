/**
 * Issue 21: `render evidence-pack` signs only a findings document its snapshot gives. The snapshot is
 * evaluated again with the same bundle, config and waivers; a document with a fail edited to pass, a
 * failure left out, a summary changed, or computed with another config is refused (exit 2, one line
 * naming the first contradiction) and no pack is written.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_SNAPSHOT, run } from '../../src/cli/main.js';
import type { FindingsDocument } from '../../src/findings/types.js';
import { fakeConsole } from '../support/fake-console.js';
import { requireBuiltBundle } from '../support/prerequisites.js';

let work: string;
let key: string;
let honest: FindingsDocument;
let onlyFailures: string;
beforeAll(async () => {
  requireBuiltBundle();
  work = mkdtempSync(join(tmpdir(), 'vp-render-check-'));
  expect(await run(['keygen', join(work, 'keys')], fakeConsole())).toBe(0);
  key = join(work, 'keys', 'evidence-signing.key');
  expect(await run(['evaluate', DEMO_SNAPSHOT, '--format', 'json', '--out', join(work, 'findings.json')], fakeConsole())).toBe(3);
  honest = JSON.parse(readFileSync(join(work, 'findings.json'), 'utf8')) as FindingsDocument;
  onlyFailures = join(work, 'only-failures.json');
  expect(await run(['evaluate', DEMO_SNAPSHOT, '--format', 'json', '--only-failures', '--out', onlyFailures], fakeConsole())).toBe(3);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

let n = 0;
async function render(doc: FindingsDocument | string, ...extra: string[]) {
  const file = typeof doc === 'string' ? doc : join(work, `edited-${++n}.json`);
  if (typeof doc !== 'string') writeFileSync(file, JSON.stringify(doc));
  const out = join(work, `pack-${++n}`);
  const io = fakeConsole();
  const code = await run(['render', 'evidence-pack', file, '--snapshot', DEMO_SNAPSHOT, '--out', out, '--sign', `ed25519:${key}`, ...extra], io);
  return { code, stderr: io.stderr, packWritten: existsSync(out) };
}

const copy = (): FindingsDocument => JSON.parse(JSON.stringify(honest)) as FindingsDocument;

describe('render evidence-pack checks the findings against the snapshot', () => {
  it('signs the findings the snapshot gives (the whole document, or only its failures)', async () => {
    expect(honest.summary.fail).toBeGreaterThan(0);
    const whole = await render(join(work, 'findings.json'));
    expect(whole.code).toBe(0);
    expect(whole.packWritten).toBe(true);
    expect((await render(onlyFailures)).code).toBe(0);
  });

  it('refuses every fail edited to pass, summary adjusted (exit 2, one line naming the first contradiction, no pack)', async () => {
    const doc = copy();
    const i = doc.findings.findIndex((f) => f.status === 'fail');
    for (const f of doc.findings) if (f.status === 'fail') f.status = 'pass';
    doc.summary.pass += doc.summary.fail;
    doc.summary.fail = 0;
    const r = await render(doc);
    expect(r.code).toBe(2);
    expect(r.packWritten).toBe(false);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`$.findings[${i}] (${honest.findings[i]!.rule_id} ${honest.findings[i]!.fingerprint}) says pass, the snapshot gives fail`);
  });

  it('refuses a failure left out, a changed summary, a finding the snapshot does not have, another scan time', async () => {
    const dropped = copy();
    const i = dropped.findings.findIndex((f) => f.status === 'fail');
    const [gone] = dropped.findings.splice(i, 1);
    expect((await render(dropped)).stderr).toContain(`$.findings lacks ${gone!.rule_id} ${gone!.fingerprint} (fail on the snapshot)`);

    const summary = copy();
    summary.summary.fail -= 1;
    const s = await render(summary);
    expect(s.code).toBe(2);
    expect(s.stderr).toContain('$.summary.fail is');

    const invented = copy();
    invented.findings[0]!.fingerprint = 'f'.repeat(64);
    expect((await render(invented)).stderr).toContain('is not a finding of the snapshot');

    const moved = copy();
    moved.scan.now = '2020-01-01T00:00:00Z';
    expect((await render(moved)).stderr).toContain('$.scan.now is "2020-01-01T00:00:00Z"');
  });

  it('refuses findings computed with a config the render is not given', async () => {
    const doc = copy();
    doc.scan.config_sha256 = 'a'.repeat(64);
    const r = await render(doc);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('$.scan.config_sha256');
  });
});
