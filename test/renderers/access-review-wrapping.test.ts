/**
 * access-review.html in headless Chromium at a narrow and a wide viewport: no word of prose breaks
 * across lines inside it (ids and paths, in <code>, may break anywhere). Each run of letters and
 * digits outside <code> is measured with a DOM Range: a word that wraps mid-word has client rects on
 * two lines. A control page with the old `overflow-wrap: anywhere` on every cell shows the check bites.
 * Under CI=true a missing Chromium fails; elsewhere the suite is skipped with the reason printed.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../../src/evidence/pdf.js';

const CHROMIUM_PATH = chromiumPath(process.env);
import { renderAccessReviewHtml } from '../../src/review/view/access-review-html.js';
import { asPrevious, november, october, review, tempDir } from '../review/helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const NodeFilter: any;
declare function getComputedStyle(el: any): any;

const available = existsSync(CHROMIUM_PATH);
if (!available && process.env.CI === 'true') throw new Error(`Chromium is required for the access review wrapping test but ${CHROMIUM_PATH} is missing (scripts/setup.d/60-chromium.sh installs it)`);
if (!available) console.warn(`skipping the access review wrapping test: ${CHROMIUM_PATH} not found (install the Debian package "chromium")`);
const maybe = available ? describe : describe.skip;

interface Broken {
  word: string;
  in: string;
}

/** Words (runs of letters and digits) outside <code> whose glyphs sit on more than one line. */
function wordsBrokenAcrossLines(page: Page): Promise<{ words: number; broken: Broken[] }> {
  return page.evaluate(() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const broken: Array<{ word: string; in: string }> = [];
    let words = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('code, style, .sr, script') || parent.offsetParent === null) continue;
      for (const m of node.textContent.matchAll(/[\p{L}\p{N}]{2,}/gu)) {
        words++;
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter((r: any) => r.width > 0).map((r: any) => Math.round(r.top)));
        if (tops.size > 1) broken.push({ word: m[0], in: parent.tagName.toLowerCase() });
      }
    }
    return { words, broken };
  });
}

maybe('access-review.html: no word of prose wraps mid-word', () => {
  const work = tempDir('wrapping');
  const file = join(work, 'access-review.html');
  let browser: Browser;
  beforeAll(async () => {
    const doc = await review(november(), { previous: asPrevious(await review(october())) });
    writeFileSync(file, renderAccessReviewHtml(doc));
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(work, { recursive: true, force: true });
  });

  for (const width of [480, 800, 1280]) {
    it(`at ${width}px wide, every word outside ids and paths stays on one line`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 }, javaScriptEnabled: false });
      await page.goto(pathToFileURL(file).href);
      const { words, broken } = await wordsBrokenAcrossLines(page);
      expect(words).toBeGreaterThan(1_000);
      expect(broken).toEqual([]);
      // Unbroken words must not push the page sideways either: wide tables scroll in their own box.
      const wider = await page.evaluate(() => {
        const limit = document.documentElement.clientWidth + 1;
        return [...document.querySelectorAll('body *')]
          .filter((el: any) => !el.closest('.scroll') && el.getBoundingClientRect().right > limit)
          .map((el: any) => `${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''}: ${el.textContent.slice(0, 40)}`);
      });
      expect(wider).toEqual([]);
      await page.close();
    });
  }

  it('ids and paths may break anywhere, prose only between words (computed styles)', async () => {
    const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
    await page.goto(pathToFileURL(file).href);
    const styles = await page.evaluate(() => {
      const of = (sel: string) => {
        const s = getComputedStyle(document.querySelector(sel));
        return { overflowWrap: s.overflowWrap, wordBreak: s.wordBreak };
      };
      return { code: of('table.matrix td code'), td: of('table.matrix td'), th: of('table.matrix th'), p: of('main p') };
    });
    expect(styles.code).toEqual({ overflowWrap: 'anywhere', wordBreak: 'normal' });
    for (const s of [styles.td, styles.th, styles.p]) {
      expect(s.wordBreak).toBe('normal');
      expect(s.overflowWrap).not.toBe('anywhere');
    }
    await page.close();
  });

  it('the check bites: with every cell allowed to break anywhere (the old style) it finds mid-word breaks', async () => {
    const page = await browser.newPage({ viewport: { width: 480, height: 900 } });
    await page.goto(pathToFileURL(file).href);
    await page.addStyleTag({ content: 'th, td { overflow-wrap: anywhere; }' });
    const { broken } = await wordsBrokenAcrossLines(page);
    expect(broken.length).toBeGreaterThan(0);
    await page.close();
  });
});
