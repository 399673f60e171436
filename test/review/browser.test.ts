/**
 * Opens access-review.html (demo fleet, November against October, with hostile principal names) in
 * headless Chromium (Debian's /usr/bin/chromium via playwright-core): no console error, no network
 * request, hostile names inert, accessible structure and contrast. Under CI=true a missing Chromium
 * fails the test; elsewhere it is skipped with the reason printed.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../../src/evidence/pdf.js';

const CHROMIUM_PATH = chromiumPath(process.env);
import { accessibilityFacts, openObserved } from '../support/browser-page.js';
import { renderAccessReviewHtml } from '../../src/review/view/access-review-html.js';
import { asPrevious, HOSTILE, november, october, review, tempDir } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;

const available = existsSync(CHROMIUM_PATH);
if (!available && process.env.CI === 'true') throw new Error(`Chromium is required for the access review browser test but ${CHROMIUM_PATH} is missing (scripts/setup.d/60-chromium.sh installs it)`);
if (!available) console.warn(`skipping the access review browser test: ${CHROMIUM_PATH} not found (install the Debian package "chromium")`);
const maybe = available ? describe : describe.skip;

maybe('access-review.html in headless Chromium', () => {
  const work = tempDir('browser');
  const file = join(work, 'access-review.html');
  let browser: Browser;
  beforeAll(async () => {
    const snap = november();
    const ids = Object.keys(snap.principals).sort();
    HOSTILE.forEach((name, i) => (snap.principals[ids[i]!]!.display_name = name));
    const doc = await review(snap, { previous: asPrevious(await review(october())) });
    writeFileSync(file, renderAccessReviewHtml(doc));
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('loads with no console error, no network request, no dialog, and hostile names as text', async () => {
    const url = pathToFileURL(file).href;
    const { page, errors, requests, dialogs } = await openObserved(browser, url, { width: 1280, height: 1400 });
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    expect(dialogs).toEqual([]);
    const dom = await page.evaluate(() => ({
      scripts: document.querySelectorAll('script').length,
      imgs: document.querySelectorAll('img').length,
      handlers: document.querySelectorAll('[onerror],[onload],[onclick]').length,
      text: document.body.innerText,
      matrixRows: document.querySelectorAll('table.matrix tbody tr').length,
      changes: [...document.querySelectorAll('#changes tbody tr')].length,
    }));
    expect(dom).toMatchObject({ scripts: 0, imgs: 0, handlers: 0, matrixRows: 40, changes: 11 });
    for (const h of HOSTILE) expect(dom.text).toContain(h.trim());
    expect(dom.text).not.toMatch(/\b49\b/);
    await page.close();
  });

  it('is accessible: one h1, headed and captioned tables, and text contrast of at least 4.5:1', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href);
    const a11y = {
      ...(await accessibilityFacts(page, 'h1, h2, h3, p, td, th, .badge, dd, dt, a, li, summary', true)),
      capCellsWithoutText: await page.evaluate(() => [...document.querySelectorAll('td.cap')].filter((td: any) => !(td.textContent ?? '').trim()).length),
    };
    expect(a11y.h1).toBe(1);
    expect(a11y.h2).toEqual(['Summary', 'Findings', 'Changes since last month', "Last month's decisions", 'Access matrix', 'Decisions']);
    expect(a11y.tablesWithoutHeaders).toBe(0);
    expect(a11y.tablesWithoutCaption).toBe(0);
    expect(a11y.capCellsWithoutText).toBe(0);
    expect(a11y.checked).toBeGreaterThan(200);
    expect(a11y.lowContrast).toEqual([]);
    expect(a11y.lang).toBe('en');
    await page.close();
  });
});
