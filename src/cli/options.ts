/** Option parsers shared by verbs: each rejects a bad value with a usage error (exit 2). */
import { InvalidArgumentError } from 'commander';
import { SEVERITIES, type Severity } from '../findings/types.js';
import { FORMATS } from './formats.js';

export function parseSeverity(value: string): Severity {
  if (!(SEVERITIES as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${SEVERITIES.join(', ')}`);
  return value as Severity;
}

export function parseFormat(value: string): string {
  if (!FORMATS.includes(value)) throw new InvalidArgumentError(`expected one of ${FORMATS.join(', ')}`);
  return value;
}

/** `--severity critical,high`: the severities shown (each known, none twice). */
export function parseSeverityList(value: string): Severity[] {
  const list = value.split(',').map((s) => s.trim().toLowerCase());
  for (const s of list) {
    if (!(SEVERITIES as readonly string[]).includes(s)) throw new InvalidArgumentError(`expected a comma-separated list of ${SEVERITIES.join(', ')}; found "${s}"`);
  }
  return [...new Set(list)] as Severity[];
}

/** One more output of the same evaluation: `--output FORMAT=FILE`. */
export interface ExtraOutput {
  format: string;
  file: string;
}

export function parseExtraOutput(value: string, previous: ExtraOutput[] = []): ExtraOutput[] {
  const eq = value.indexOf('=');
  const format = eq > 0 ? value.slice(0, eq) : '';
  const file = eq > 0 ? value.slice(eq + 1) : '';
  if (!FORMATS.includes(format) || file === '') throw new InvalidArgumentError(`expected FORMAT=FILE with FORMAT one of ${FORMATS.join(', ')} (e.g. sarif=results.sarif); found "${value}"`);
  return [...previous, { format, file }];
}

export interface OutputOptions {
  format: string;
  out?: string;
  /** `--output FORMAT=FILE`: further renderings of the same findings, each written atomically. */
  outputs?: ExtraOutput[];
  /** `--severity`: the severities shown in every output; the gate still judges every finding. */
  severities?: Severity[];
  failOn: Severity;
  allowIncomplete: boolean;
  /** Findings with status `error` do not gate (exit 3); incomplete scopes still do. */
  allowErrors?: boolean;
  onlyFailures: boolean;
  correlationId?: string;
  config?: string;
  waivers?: string;
  baseline?: string;
  failOnNew: boolean;
  siemSinks?: string[];
  spoolDir?: string;
}
