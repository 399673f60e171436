/**
 * Every place a run will write, checked before it collects or evaluates anything: a bad
 * `--siem-sink` spec, a spool that cannot be written or an `--out` in a missing-and-uncreatable
 * directory is an input error (exit 2) up front, not after a scan whose verdict was already printed.
 *
 * Writability is probed by creating (and removing) a file in the nearest existing directory, so a
 * read-only filesystem or a file standing where a directory must be is found whoever runs it.
 */
import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { spoolDirFor, type SinkSpec } from '../siem/index.js';
import { InputError } from '../util/input-error.js';
import { sinkSpecOf } from './commands/siem.js';

export interface OutputTargets {
  /** Files the run writes (--out, --snapshot-out): their directory must exist or be creatable, and writable. */
  files?: { option: string; file: string | undefined }[];
  siemSinks?: string[];
  spoolDir?: string;
}

export const DEFAULT_SPOOL_DIR = '.vaultproof/spool';

/** Throws an InputError naming the option and the target when a run could not write there. */
export function validateOutputTargets(t: OutputTargets): void {
  for (const { option, file } of t.files ?? []) if (file !== undefined) checkWritableFile(option, file);
  const specs = (t.siemSinks ?? []).map(sinkSpecOf);
  if (specs.length === 0) return;
  for (const spec of specs) checkSink(spec);
  const root = t.spoolDir ?? DEFAULT_SPOOL_DIR;
  for (const spec of specs) checkSpool(root, spec, t.spoolDir !== undefined ? '--spool-dir' : 'the SIEM spool (--spool-dir)');
}

function checkWritableFile(option: string, file: string): void {
  if (existsSync(file) && statSync(file).isDirectory()) throw new InputError(option, '', `${file} is a directory, expected a file to write`);
  probeDir(option, dirname(resolve(file)), false);
}

function checkSink(spec: SinkSpec): void {
  const what = `--siem-sink ${spec.display}`;
  if (spec.kind === 'file') {
    checkWritableFile(what, spec.path);
    return;
  }
  const files = 'host' in spec ? [spec.tls?.caFile, spec.tls?.certFile, spec.tls?.keyFile] : [spec.caFile];
  for (const f of files) {
    if (f === undefined) continue;
    try {
      closeSync(openSync(f, 'r'));
    } catch (e) {
      throw new InputError(what, '', `cannot read ${f} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
}

/** The spool root and this sink's directory in it are created (as delivery would) and must take a file. */
function checkSpool(root: string, spec: SinkSpec, option: string): void {
  const dir = spoolDirFor(root, spec);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new InputError(option, '', `the spool ${root} cannot be created (${(e as NodeJS.ErrnoException).code ?? 'error'}): undelivered SIEM events could not be kept`);
  }
  probeDir(option, dir, true);
}

function probeDir(option: string, dir: string, isSpool: boolean): void {
  let existing = dir;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (!statSync(existing).isDirectory()) throw new InputError(option, '', `cannot write under ${dir}: ${existing} is not a directory`);
  const probe = join(existing, `.vaultproof-write-probe-${process.pid}`);
  try {
    closeSync(openSync(probe, 'w', 0o600));
    rmSync(probe, { force: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new InputError(option, '', isSpool ? `the spool ${dir} is not writable (${code}): undelivered SIEM events could not be kept` : `cannot write in ${existing} (${code})`);
  }
}
