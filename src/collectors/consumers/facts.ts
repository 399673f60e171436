/**
 * What a consumer kind's reader takes from one file, and how the facts of a consumer's files become
 * its snapshot record (refresh, fallback, vaults). Shared by the readers in kinds/.
 */
import type { Consumer, ConsumerKind, ConsumerRefresh } from '../../snapshot/types.js';

/** What a kind's reader says about one file: the kind's own facts, or that the file is not of the kind. */
export type Judged = Omit<Consumer, 'id' | 'name' | 'files' | 'kind' | 'kind_source'>;

export interface KindReader<F> {
  kind: ConsumerKind;
  /**
   * The facts of one parsed file, or null when the file holds nothing of this kind. `configured`: the
   * config names the kind, so a file that could be of a sibling kind (Agent or Proxy) is read as this one.
   */
  read(file: ParsedFile, configured: boolean): F | null;
  /** The consumer's record from the facts of all its files (at least one). */
  judge(facts: F[]): Judged;
}

/** A file as the readers see it: its parsed documents (HCL, YAML, JSON) or its text (.properties). */
export interface ParsedFile {
  /** Relative to the config file, for messages. */
  name: string;
  format: 'hcl' | 'yaml' | 'json' | 'properties';
  documents: unknown[];
  /** .properties only: the text (the reader keeps only its own keys). */
  text?: string;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string value, trimmed; undefined for anything else or empty. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** HCL blocks come out of hcl2json as lists of bodies. */
export function blocks(doc: Record<string, unknown>, name: string): Record<string, unknown>[] {
  const v = doc[name];
  if (Array.isArray(v)) return v.filter(isRecord);
  return isRecord(v) ? [v] : [];
}

export function unique(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

export function refresh(seconds: number | null, basis: ConsumerRefresh['basis'], setting: string, detail: string): ConsumerRefresh {
  return { seconds, basis, setting, detail };
}

/** The refresh with the longest time to pick up a new version (never and unknown win; unknown first). */
export function worst(list: ConsumerRefresh[]): ConsumerRefresh {
  const unknown = list.find((r) => r.basis === 'unknown');
  if (unknown) return unknown;
  const never = list.find((r) => r.basis === 'never');
  if (never) return never;
  return list.reduce((a, b) => ((b.seconds ?? 0) > (a.seconds ?? 0) ? b : a));
}
