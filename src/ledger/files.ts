/** The ledger file written beside a snapshot (`collect --out X`, `scan --snapshot-out X` → `X.ledger.jsonl`). */
import { existsSync, readFileSync } from 'node:fs';
import { InputError } from '../util/input-error.js';
import { ledgerPathFor } from './types.js';

/** The ledger beside `snapshotFile`, or undefined when there is none (a snapshot not collected by vaultproof). */
export function readSiblingLedger(snapshotFile: string): { file: string; text: string } | undefined {
  const file = ledgerPathFor(snapshotFile);
  if (!existsSync(file)) return undefined;
  try {
    return { file, text: readFileSync(file, 'utf8') };
  } catch (e) {
    throw new InputError(file, '', `request ledger cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}
