/**
 * `--pdf`: prints a pack's `index.html` to PDF with headless Chromium (Debian's /usr/bin/chromium
 * driven by playwright-core), with every network request refused. The PDF is written beside the pack,
 * not inside it, so the signed file set stays the same with or without it.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Debian's Chromium, unless VAULTPROOF_CHROMIUM names another (the environment comes from the CLI). */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';
export function chromiumPath(env: Record<string, string | undefined>): string {
  return env.VAULTPROOF_CHROMIUM || DEFAULT_CHROMIUM_PATH;
}
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

export async function renderPdf(indexHtml: string, outPdf: string, opts: { chromium: string; timeoutMs?: number }): Promise<void> {
  const CHROMIUM_PATH = opts.chromium;
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`--pdf needs Chromium at ${CHROMIUM_PATH} (Debian package "chromium"; or set VAULTPROOF_CHROMIUM)`);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: opts.timeoutMs ?? 60_000 });
  try {
    const page = await browser.newPage({ javaScriptEnabled: false });
    const url = pathToFileURL(indexHtml).href;
    await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    await page.goto(url, { waitUntil: 'load', timeout: opts.timeoutMs ?? 60_000 });
    await page.pdf({ path: outPdf, format: 'A4', printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' } });
  } finally {
    await browser.close();
  }
}
