/** Opens a local page in Chromium while recording what an inert, self-contained report must not do. */
import type { Browser, Page } from 'playwright-core';

// The functions passed to page.evaluate run in the page; these loose declarations stand in for the DOM
// library, which this Node project does not load.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare function getComputedStyle(el: any): any;

export interface ObservedPage {
  page: Page;
  /** Console errors and warnings, and uncaught page errors. */
  errors: string[];
  /** Every request the page made (a self-contained report makes only its own). */
  requests: string[];
  /** Dialogs opened (alert, confirm): injected script would show here. */
  dialogs: string[];
}

export async function openObserved(browser: Browser, url: string, viewport: { width: number; height: number }): Promise<ObservedPage> {
  const page = await browser.newPage({ viewport });
  const observed: ObservedPage = { page, errors: [], requests: [], dialogs: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') observed.errors.push(m.text());
  });
  page.on('pageerror', (e) => observed.errors.push(e.message));
  page.on('request', (r) => observed.requests.push(r.url()));
  page.on('dialog', async (d) => {
    observed.dialogs.push(d.message());
    await d.dismiss();
  });
  await page.goto(url, { waitUntil: 'load' });
  return observed;
}

export interface AccessibilityFacts {
  h1: number;
  h2: string[];
  tablesWithoutHeaders: number;
  tablesWithoutCaption: number;
  /** Text elements whose contrast was measured. */
  checked: number;
  /** Those under WCAG AA's 4.5:1 against their effective background. */
  lowContrast: Array<{ sel: string; ratio: number }>;
  lang: string;
}

/**
 * Headings, table semantics and the text contrast (WCAG relative luminance) of the elements matching
 * `textSelector`, optionally only those rendered with text.
 */
export function accessibilityFacts(page: Page, textSelector: string, visibleOnly: boolean): Promise<AccessibilityFacts> {
  return page.evaluate(
    ({ textSelector, visibleOnly }) => {
      const lum = (rgb: string) => {
        const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number).map((v: number) => {
          const c = v / 255;
          return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      const bgOf = (el: any): string => {
        for (let e = el; e; e = e.parentElement) {
          const bg = getComputedStyle(e).backgroundColor;
          if (bg && bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return bg;
        }
        return 'rgb(255, 255, 255)';
      };
      const elements: any[] = [...document.querySelectorAll(textSelector)].filter(
        (el: any) => !visibleOnly || (el.offsetParent !== null && (el.textContent ?? '').trim() !== ''),
      );
      const ratios: Array<{ sel: string; ratio: number }> = elements.map((el: any) => {
        const l1 = lum(getComputedStyle(el).color);
        const l2 = lum(bgOf(el));
        return { sel: `${el.tagName}.${el.className}`, ratio: (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05) };
      });
      return {
        h1: document.querySelectorAll('h1').length,
        h2: [...document.querySelectorAll('h2')].map((h: any) => h.textContent ?? ''),
        tablesWithoutHeaders: [...document.querySelectorAll('table')].filter((t: any) => t.querySelectorAll('th[scope]').length === 0).length,
        tablesWithoutCaption: [...document.querySelectorAll('table')].filter((t: any) => !t.querySelector('caption')).length,
        checked: ratios.length,
        lowContrast: ratios.filter((r) => r.ratio < 4.5),
        lang: document.documentElement.lang,
      };
    },
    { textSelector, visibleOnly },
  );
}
