/**
 * Issue 19.6: `--format html` is the evidence pack's report page, unsigned and in one file, escaped as
 * in the pack; `--pdf` works through the CLI (the real Chromium), and a missing Chromium or
 * playwright-core is one line and exit 2 before anything is scanned or written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_SNAPSHOT, run } from '../../src/cli/main.js';
import { checkPdfPrerequisites } from '../../src/cli/pdf-prerequisites.js';
import { chromiumPath } from '../../src/evidence/pdf.js';

const CHROMIUM_PATH = chromiumPath(process.env);
import { UNSIGNED } from '../../src/evidence/view/findings-html.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { fakeConsole } from '../support/fake-console.js';
import { IN_CI, requireBuiltBundle, requireDistWorker } from '../support/prerequisites.js';

let work: string;
let key: string;
beforeAll(async () => {
  requireBuiltBundle();
  work = mkdtempSync(join(tmpdir(), 'vp-html-'));
  expect(await run(['keygen', join(work, 'keys')], fakeConsole())).toBe(0);
  key = `ed25519:${join(work, 'keys', 'evidence-signing.key')}`;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const io = fakeConsole();
  const code = await run(args, io, {}, { cwd: work });
  return { code, stdout: io.stdout, stderr: io.stderr };
}

const HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>';

describe('--format html', () => {
  it('is the pack\'s report page in one self-contained file, unsigned and saying so, with the same verdict', async () => {
    const r = await cli('scan', '--demo', '--format', 'html');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^INCOMPLETE: /);
    const html = r.stdout;
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`);
    expect(html).not.toMatch(/<script|<link|<iframe|@import|url\(/i);
    expect(html).toContain('<title>Compliance report: scan 00000000-0000-4000-8000-00000000de70</title>');
    expect(html).toContain(`${UNSIGNED.description} (none)`);
    // The same page body as the signed pack's index.html, apart from the title and the signer.
    const pack = join(work, 'pack');
    expect((await cli('scan', '--demo', '--evidence-pack', pack, '--sign', key, '-f', 'json', '-o', join(work, 'f.json'))).code).toBe(3);
    const index = readFileSync(join(pack, 'index.html'), 'utf8');
    const body = (s: string) => s.slice(s.indexOf('<section'), s.indexOf('<section id="integrity"'));
    expect(body(html)).toBe(body(index));
    // Deterministic: the page's time is the scan's, not the wall clock.
    expect((await cli('scan', '--demo', '--format', 'html')).stdout).toBe(html);
  });

  it('escapes what the vaults hold, as the pack does', async () => {
    const snapshot = JSON.parse(readFileSync(DEMO_SNAPSHOT, 'utf8')) as { vaults: Record<string, { objects?: Record<string, { path?: string; name?: string }> }> };
    for (const vault of Object.values(snapshot.vaults)) for (const o of Object.values(vault.objects ?? {})) o.path = `${o.path ?? ''}/${HOSTILE}`;
    const file = join(work, 'hostile.json');
    writeFileSync(file, JSON.stringify(snapshot));
    const out = join(work, 'hostile.html');
    const r = await cli('evaluate', file, '--format', 'html', '--out', out);
    expect([1, 3]).toContain(r.code);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=x');
  });
});

describe('--pdf through the CLI', () => {
  const chromium = existsSync(CHROMIUM_PATH);
  if (!chromium) {
    if (IN_CI) throw new Error(`prerequisite missing under CI: Chromium at ${CHROMIUM_PATH}`);
    console.warn(`SKIPPED: --pdf end to end: no Chromium at ${CHROMIUM_PATH}`);
  }

  (chromium ? it : it.skip)('scan --demo --evidence-pack DIR --sign ... --pdf writes DIR.pdf beside the signed pack', async () => {
    const pack = join(work, 'pdf-pack');
    const r = await cli('scan', '--demo', '--evidence-pack', pack, '--sign', key, '--pdf', '-f', 'json', '-o', join(work, 'pdf-findings.json'));
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`evidence pack PDF: ${pack}.pdf`);
    const pdf = readFileSync(`${pack}.pdf`);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
    // Beside the pack, not in it: the signed file set is the same with or without --pdf.
    expect(readdirSync(pack)).not.toContain('index.pdf');
    expect((await cli('verify', pack, '--key', join(work, 'keys', 'evidence-signing.pub'))).code).toBe(0);
  }, 120_000);

  it('a missing Chromium (VAULTPROOF_CHROMIUM at a missing file) is one line, exit 2, before anything is written', () => {
    if (!requireDistWorker()) return;
    const pack = join(work, 'no-chromium');
    const r = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'bin', 'vaultproof.js'), 'scan', '--demo', '--evidence-pack', pack, '--sign', key, '--pdf'], {
      encoding: 'utf8',
      cwd: work,
      env: { PATH: process.env.PATH, HOME: work, NO_COLOR: '1', VAULTPROOF_CHROMIUM: join(work, 'no-such-chromium') },
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toEqual([`vaultproof: error: --pdf: needs Chromium at ${join(work, 'no-such-chromium')}, which is missing (Debian package "chromium"; or set VAULTPROOF_CHROMIUM to its path)`]);
    expect(existsSync(pack)).toBe(false);
  });

  it('a missing playwright-core is one line naming the optional dependency', async () => {
    const chromiumStandIn = join(work, 'chromium-stand-in');
    writeFileSync(chromiumStandIn, '');
    const missing = () => Promise.reject(Object.assign(new Error("Cannot find package 'playwright-core'"), { code: 'ERR_MODULE_NOT_FOUND' }));
    await expect(checkPdfPrerequisites({ chromium: chromiumStandIn, importPlaywright: missing })).rejects.toThrow(
      '--pdf: needs the optional dependency playwright-core (npm install playwright-core), which is not installed',
    );
    await expect(checkPdfPrerequisites({ chromium: chromiumStandIn, importPlaywright: () => Promise.resolve({}) })).resolves.toBeUndefined();
  });

  it('playwright-core is an optional dependency (the CLI runs without it), pinned exactly', () => {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    expect(pkg.optionalDependencies?.['playwright-core']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.devDependencies?.['playwright-core']).toBeUndefined();
    expect(pkg.dependencies?.['playwright-core']).toBeUndefined();
  });
});
