/** Opens a local page in Chromium while recording what an inert, self-contained report must not do. */
import type { Browser, Page } from 'playwright-core';

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
