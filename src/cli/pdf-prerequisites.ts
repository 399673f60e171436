/**
 * `--pdf` needs headless Chromium and the optional dependency playwright-core. Both are checked before
 * the scan, so a missing one is one line and exit 2 up front, not a written pack and then an error.
 */
import { existsSync } from 'node:fs';
import { chromiumPath } from '../evidence/pdf.js';
import { InputError } from '../util/input-error.js';

export const PLAYWRIGHT_MISSING = '--pdf needs the optional dependency playwright-core (npm install playwright-core), which is not installed';

export async function checkPdfPrerequisites(opts: { chromium?: string; importPlaywright?: () => Promise<unknown> } = {}): Promise<void> {
  const chromium = opts.chromium ?? chromiumPath(process.env);
  if (!existsSync(chromium)) throw new InputError('--pdf', '', `needs Chromium at ${chromium}, which is missing (Debian package "chromium"; or set VAULTPROOF_CHROMIUM to its path)`);
  try {
    await (opts.importPlaywright ?? (() => import('playwright-core')))();
  } catch {
    throw new InputError('--pdf', '', 'needs the optional dependency playwright-core (npm install playwright-core), which is not installed');
  }
}
