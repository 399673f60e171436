/**
 * `--output FORMAT=FILE` (repeatable): further renderings of one evaluation, beside `--format`/`--out`.
 * Every file they name is a target checked before the scan, and no two outputs may write one file.
 */
import { resolve } from 'node:path';
import { InputError } from '../util/input-error.js';
import type { OutputOptions } from './options.js';

/** The files a run writes its findings to, as output targets; two outputs naming one file are refused. */
export function checkOutputFiles(opts: Pick<OutputOptions, 'out' | 'outputs'>): { option: string; file: string | undefined }[] {
  const targets = [{ option: '--out', file: opts.out }, ...(opts.outputs ?? []).map((o) => ({ option: `--output ${o.format}=${o.file}`, file: o.file }))];
  const seen = new Map<string, string>();
  for (const t of targets) {
    if (t.file === undefined) continue;
    const key = resolve(t.file);
    const first = seen.get(key);
    if (first) throw new InputError(t.option, '', `writes ${t.file}, which ${first} writes too: give each output its own file`);
    seen.set(key, t.option);
  }
  return targets;
}
