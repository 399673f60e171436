/** Option parsers shared by verbs: each rejects a bad value with a usage error (exit 2). */
import { InvalidArgumentError } from 'commander';
import { SEVERITIES, type Severity } from '../findings/types.js';
import { FORMATS } from '../renderers/registry.js';

export function parseSeverity(value: string): Severity {
  if (!(SEVERITIES as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${SEVERITIES.join(', ')}`);
  return value as Severity;
}

export function parseFormat(value: string): string {
  if (!FORMATS.includes(value)) throw new InvalidArgumentError(`expected one of ${FORMATS.join(', ')}`);
  return value;
}

export interface OutputOptions {
  format: string;
  out?: string;
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
