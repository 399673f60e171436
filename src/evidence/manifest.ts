/**
 * The pack manifest (`manifest.json`, DESIGN §7): sha256 of every file, the policy bundle digest, the
 * previous pack's manifest digest (the chain), and the summary history the trend chart draws.
 */
import type { HistoryEntry } from './report-model.js';

export const MANIFEST_SCHEMA = 'vaultproof/evidence-manifest/v1';
export const MANIFEST_FILE = 'manifest.json';
export const ENVELOPE_FILE = 'manifest.dsse.json';
/** Packs keep at most this many summaries (this one included) for the trend chart. */
export const HISTORY_LIMIT = 12;

export interface ManifestFile {
  path: string;
  sha256: string;
  bytes: number;
}

export interface Manifest {
  schema: typeof MANIFEST_SCHEMA;
  created: string;
  tool: { name: 'vaultproof'; version: string };
  scan: { id: string; correlation_id: string; now: string; complete: boolean };
  policy_bundle_sha256: string;
  previous: { manifest_sha256: string; scan_id: string; created: string } | null;
  history: HistoryEntry[];
  files: ManifestFile[];
}

/** Structural parse of a manifest read back from disk; throws naming the file and the JSON path. */
export function parseManifest(value: unknown, file: string): Manifest {
  const m = value as Partial<Manifest> | null;
  const fail = (path: string, expected: string): never => {
    throw new Error(`${file}: ${path}: expected ${expected}`);
  };
  if (!m || typeof m !== 'object' || Array.isArray(m)) fail('$', 'an object');
  if (m!.schema !== MANIFEST_SCHEMA) fail('$.schema', JSON.stringify(MANIFEST_SCHEMA));
  if (typeof m!.policy_bundle_sha256 !== 'string') fail('$.policy_bundle_sha256', 'a hex string');
  if (!m!.scan || typeof m!.scan.id !== 'string') fail('$.scan.id', 'a string');
  if (m!.previous !== null && (typeof m!.previous !== 'object' || typeof m!.previous.manifest_sha256 !== 'string')) {
    fail('$.previous', 'null or {manifest_sha256, scan_id, created}');
  }
  if (!Array.isArray(m!.history)) fail('$.history', 'an array');
  if (!Array.isArray(m!.files)) fail('$.files', 'an array');
  m!.files!.forEach((f, i) => {
    if (!f || typeof f.path !== 'string' || typeof f.sha256 !== 'string') fail(`$.files[${i}]`, '{path, sha256, bytes}');
  });
  return m as Manifest;
}
