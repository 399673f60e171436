/**
 * Opens a pack's index.html in headless Chromium (Debian's /usr/bin/chromium via playwright-core):
 * no console errors, no network request, hostile names inert, accessible structure and contrast;
 * saves the README screenshot and prints the pack to PDF.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath, renderPdf } from '../../src/evidence/pdf.js';

const CHROMIUM_PATH = chromiumPath(process.env);
import { accessibilityFacts, openObserved } from '../support/browser-page.js';
import { writeEvidencePack } from '../../src/evidence/writer.js';
import { packOptions, ROOT, tempDir } from './helpers.js';

// The functions passed to page.evaluate run in the page; these loose declarations stand in for the DOM
// library, which this Node project does not load.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;

const work = tempDir('browser');
const pack = join(work, 'pack-2026-11');
const previous = join(work, 'pack-2026-10');
const available = existsSync(CHROMIUM_PATH);
if (!available && process.env.CI === 'true') throw new Error(`Chromium is required for the browser test but ${CHROMIUM_PATH} is missing (scripts/setup.d/60-chromium.sh installs it)`);
const maybe = available ? describe : describe.skip;
if (!available) console.warn(`skipping the evidence-pack browser test: ${CHROMIUM_PATH} not found (install the Debian package "chromium")`);

maybe('index.html in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    // Two packs, so the trend chart shows a month-over-month change.
    const earlier = packOptions(previous, { clock: () => new Date('2026-10-29T06:00:00Z') });
    // Last month: three more failures (the gateway certificate, the jamf token and the admin key), a different scan.
    const worse = new Set(['VP-ROT-002', 'VP-ROT-006']);
    earlier.findings = {
      ...earlier.findings,
      scan: { ...earlier.findings.scan, id: 'scan-2026-10', now: '2026-10-29T00:00:00Z' },
      findings: earlier.findings.findings.map((f) => (worse.has(f.rule_id) && f.status === 'pass' ? { ...f, status: 'fail' as const } : f)),
    };
    await writeEvidencePack(earlier);
    await writeEvidencePack(packOptions(pack, { previous }));
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('loads with no console error, no network request, and hostile names inert', async () => {
    const url = pathToFileURL(join(pack, 'index.html')).href;
    const { page, errors: consoleErrors, requests, dialogs } = await openObserved(browser, url, { width: 1200, height: 1500 });

    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([url]);
    expect(dialogs).toEqual([]);
    const dom = await page.evaluate(() => ({
      scripts: document.querySelectorAll('script').length,
      imgs: document.querySelectorAll('img').length,
      onerror: document.querySelectorAll('[onerror]').length,
      text: document.body.innerText,
    }));
    expect(dom).toMatchObject({ scripts: 0, imgs: 0, onerror: 0 });
    for (const hostile of ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '{{7*7}}', "=cmd|' /C calc'!A0"]) {
      expect(dom.text).toContain(hostile);
    }
    expect(dom.text).not.toMatch(/\b49\b/);
    // The README's copy is retaken only on request (VP_UPDATE_SCREENSHOTS=1), so a test run leaves the tree clean.
    const screenshot = process.env.VP_UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'img', 'evidence-pack.png') : join(tmpdir(), `vaultproof-evidence-pack-${process.pid}.png`);
    await page.screenshot({ path: screenshot });
    const png = readFileSync(screenshot);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    await page.close();
  });

  it('is accessible: one h1, headed tables, labelled charts, and text contrast of at least 4.5:1', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(pack, 'index.html')).href);
    const a11y = {
      ...(await accessibilityFacts(page, 'h1, h2, h3, p, td, th, .badge, .verdict-label, dd, dt, figcaption, a', false)),
      charts: await page.evaluate(() => [...document.querySelectorAll('svg')].map((s: any) => ({ role: s.getAttribute('role'), title: s.querySelector('title')?.textContent ?? '' }))),
    };
    expect(a11y.h1).toBe(1);
    expect(a11y.h2).toEqual(['Compliance with the standard, requirement by requirement', 'Executive summary', 'Rotation proof', 'Replication status', 'Rules', 'Waivers', 'Scan identity and request ledger', 'Integrity']);
    expect(a11y.tablesWithoutHeaders).toBe(0);
    expect(a11y.tablesWithoutCaption).toBe(0);
    expect(a11y.charts).toHaveLength(3);
    for (const c of a11y.charts) expect(c.role === 'img' && c.title.length > 0).toBe(true);
    expect(a11y.checked).toBeGreaterThan(100);
    expect(a11y.lowContrast).toEqual([]);
    expect(a11y.lang).toBe('en');
    await page.close();
  });

  it('the rules are collapsed by family with a table of contents: open where a rule fails or is unjudged, and it all works without JavaScript', async () => {
    // The November pack with its replication failure fixed (that family then passes whole) and one
    // rotation failure new since the baseline.
    const families = join(work, 'pack-families');
    const opts = packOptions(families);
    let marked = false;
    opts.findings = {
      ...opts.findings,
      summary: { ...opts.findings.summary, fixed: 0 },
      findings: opts.findings.findings.map((f) => {
        if (f.rule_id === 'VP-REP-001' && f.status === 'fail') return { ...f, status: 'pass' as const };
        if (f.status === 'fail') {
          const isNew = f.rule_id === 'VP-ROT-002' && !marked;
          marked ||= isNew;
          return { ...f, baseline: isNew ? ('new' as const) : ('unchanged' as const) };
        }
        return f;
      }),
    };
    await writeEvidencePack(opts);
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, javaScriptEnabled: false });
    const url = pathToFileURL(join(families, 'index.html')).href;
    await page.goto(url);
    const state = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('details.family')].map((d: any) => ({
          id: d.id,
          open: d.open,
          verdicts: [...d.querySelectorAll('article.rule h4 .badge')].map((b: any) => b.textContent),
          summary: d.querySelector('summary').textContent.replace(/\s+/g, ' ').trim(),
        })),
      );
    const before = await state();
    expect(before.map((f) => f.id)).toEqual(['family-vault-config', 'family-replication', 'family-rotation']);
    for (const f of before) expect({ id: f.id, open: f.open }).toEqual({ id: f.id, open: f.verdicts.some((v: string) => v === 'Fail' || v.startsWith('Error') || v === 'Not evaluated') });
    expect(before.find((f) => f.id === 'family-replication')).toMatchObject({ open: false, verdicts: ['Pass', 'Pass'] });
    expect(before.find((f) => f.id === 'family-rotation')!.summary).toMatch(/^Rotation \(VP-ROT\) 7 rules: 4 fail, 1 not judged, 2 pass · findings: \d+ fail, 1 error, 1 waived, \d+ pass$/);
    // The table of contents names every family and links every rule.
    const toc = await page.evaluate(() => [...document.querySelectorAll('nav.toc a')].map((a: any) => a.getAttribute('href')));
    expect(toc).toEqual(expect.arrayContaining(['#family-vault-config', '#family-replication', '#family-rotation', '#rule-VP-REP-001', '#rule-VP-ROT-010']));
    expect(toc).toHaveLength(3 + 10);
    // A collapsed family's rule is hidden until its table-of-contents link is followed: then it opens.
    const visible = (sel: string) => page.evaluate((q) => document.querySelector(q).checkVisibility(), sel);
    expect(await visible('#rule-VP-REP-001')).toBe(false);
    await page.click('nav.toc a[href="#rule-VP-REP-001"]');
    await page.waitForFunction(() => document.querySelector('#family-replication').open, undefined, { timeout: 5_000 });
    expect(await visible('#rule-VP-REP-001')).toBe(true);
    // And the summary toggles it, with no script.
    await page.click('#family-rotation > summary');
    expect(await visible('#rule-VP-ROT-001')).toBe(false);
    await page.click('#family-rotation > summary');
    expect(await visible('#rule-VP-ROT-001')).toBe(true);
    // A failure new since the baseline is marked.
    expect(await page.evaluate(() => [...document.querySelectorAll('.b-new')].map((b: any) => b.closest('article').id))).toEqual(['rule-VP-ROT-002']);
    // On paper every family prints whole.
    await page.goto(url);
    await page.emulateMedia({ media: 'print' });
    expect(await visible('#rule-VP-REP-001')).toBe(true);
    expect(await visible('nav.toc')).toBe(false);
    await page.close();
  });

  it('prints to PDF (--pdf) without any network access', async () => {
    const pdf = join(work, 'pack-2026-11.pdf');
    await renderPdf(join(pack, 'index.html'), pdf, { chromium: chromiumPath(process.env) });
    const data = readFileSync(pdf);
    expect(data.subarray(0, 5).toString()).toBe('%PDF-');
    expect(data.length).toBeGreaterThan(20_000);
  });
});
