/**
 * Transit keys (`GET <transit>/keys/<name>`) as vault objects of kind `key`: created = version 1's
 * creation, updated = the latest version's, one object version per key version (RFC 3339
 * `creation_time` of asymmetric keys, epoch seconds of symmetric ones). Public keys are never copied.
 * Facts that were not read stay null (or the key facts are left out), never a default that passes.
 */
import type { KeyFacts, ObjectVersion, VaultObject } from '../../snapshot/types.js';
import { asJson, type RawTransitKey } from './raw.js';
import { toEpoch, toSeconds } from './transform-values.js';

export interface TransitResult {
  object: VaultObject | null;
  /** Why the key could not be (fully) mapped; recorded on the mount's scope. */
  problem: string | null;
}

const SIZES: Record<string, number> = { 'aes128-gcm96': 128, 'aes256-gcm96': 256, 'chacha20-poly1305': 256, 'rsa-2048': 2048, 'rsa-3072': 3072, 'rsa-4096': 4096 };
const CURVES: Record<string, string> = { 'ecdsa-p256': 'P-256', 'ecdsa-p384': 'P-384', 'ecdsa-p521': 'P-521', ed25519: 'Ed25519' };

const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);

function operations(d: Record<string, unknown>): string[] {
  const ops: string[] = [];
  if (d.supports_encryption === true) ops.push('encrypt');
  if (d.supports_decryption === true) ops.push('decrypt');
  if (d.supports_signing === true) ops.push('sign', 'verify');
  if (d.supports_derivation === true) ops.push('derive');
  return ops;
}

/** Key facts, or null when a required one (type, exportable) is missing or the protection is unknown (managed keys). */
function keyFacts(d: Record<string, unknown>): KeyFacts | null {
  const type = typeof d.type === 'string' ? d.type : null;
  const exportable = bool(d.exportable);
  // A managed key lives in an external KMS/HSM whose protection Vault does not report here.
  if (type === null || exportable === null || type === 'managed_key') return null;
  return {
    type,
    size: SIZES[type] ?? (type === 'hmac' ? int(d.key_size) : null),
    curve: CURVES[type] ?? null,
    hsm: false,
    exportable,
    operations: operations(d),
    allow_plaintext_backup: bool(d.allow_plaintext_backup),
    deletion_allowed: bool(d.deletion_allowed),
    min_decryption_version: int(d.min_decryption_version),
    auto_rotate_period_seconds: toSeconds(d.auto_rotate_period),
  };
}

export function toTransitObject(vaultId: string, k: RawTransitKey): TransitResult {
  const d = k.data;
  const path = `${k.mount.replace(/\/$/, '')}/${k.name}`;
  const minDecrypt = int(d.min_decryption_version);
  const versions: Record<string, ObjectVersion> = {};
  for (const [n, raw] of Object.entries(asJson(d.keys))) {
    if (!/^\d+$/.test(n)) continue;
    const created = toEpoch(typeof raw === 'object' && raw !== null ? asJson(raw).creation_time : raw);
    // A version below min_decryption_version can no longer decrypt: it is kept but not usable.
    versions[n] = { created, updated: created, expires: null, not_before: null, enabled: minDecrypt === null ? true : Number(n) >= minDecrypt };
  }
  const latest = int(d.latest_version);
  if (Object.keys(versions).length === 0 || latest === null || !versions[String(latest)]) {
    return { object: null, problem: `transit key ${path}: no readable versions (latest_version ${String(d.latest_version)})` };
  }
  const key = keyFacts(d);
  const object: VaultObject = {
    id: `${vaultId}:transit:${path}`,
    kind: 'key',
    name: k.name,
    path,
    enabled: true,
    created: versions['1']?.created ?? null,
    updated: versions[String(latest)]?.created ?? null,
    expires: null,
    not_before: null,
    tags: {},
    content_type: null,
    current_version: String(latest),
    versions,
    ...(key ? { key } : {}),
  };
  const problem = key || d.type === 'managed_key' ? null : `transit key ${path}: type or exportable flag missing from the key properties`;
  return { object, problem };
}
