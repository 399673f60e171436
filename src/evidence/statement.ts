/**
 * The in-toto Statement v1 a pack's DSSE envelope carries: one subject per file of the pack (the
 * manifest included) with its sha256, and a predicate naming the scan, the chain link, the standard
 * the scan was judged by (thresholds, config digest, deviations) and the signer.
 */
import type { FindingsDocument, ScanDeviation } from '../findings/types.js';
import type { SignatureAlgorithm } from './signers/types.js';

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const PREDICATE_TYPE = 'https://vaultproof.dev/attestation/evidence-pack/v1';

export interface Subject {
  name: string;
  digest: { sha256: string };
}

export interface EvidencePackPredicate {
  scan_id: string;
  correlation_id: string;
  created: string;
  policy_bundle_sha256: string;
  manifest_sha256: string;
  previous_manifest_sha256: string | null;
  /** sha256 of the config file the scan was evaluated with (from findings.json, when recorded). */
  config_sha256?: string;
  /** The thresholds the rules judged by (from findings.json, when recorded). */
  thresholds?: Record<string, unknown>;
  /** The approved deviations from the standard (from findings.json, when recorded). */
  deviations?: ScanDeviation[];
  signer: { keyid: string; algorithm: SignatureAlgorithm; description: string; fingerprint: string; public_key_pem: string };
}

export interface Statement {
  _type: typeof STATEMENT_TYPE;
  subject: Subject[];
  predicateType: typeof PREDICATE_TYPE;
  predicate: EvidencePackPredicate;
}

/**
 * The standard a scan was judged by, as its findings document records it: the config's digest, the
 * effective thresholds and every deviation. Documents written before these were recorded give none.
 */
export function standardPredicate(scan: FindingsDocument['scan']): Pick<EvidencePackPredicate, 'config_sha256' | 'thresholds' | 'deviations'> {
  return {
    ...(scan.config_sha256 !== undefined ? { config_sha256: scan.config_sha256 } : {}),
    ...(scan.thresholds !== undefined ? { thresholds: scan.thresholds } : {}),
    ...(scan.deviations !== undefined ? { deviations: scan.deviations } : {}),
  };
}

export function buildStatement(files: Array<{ path: string; sha256: string }>, predicate: EvidencePackPredicate): Statement {
  return {
    _type: STATEMENT_TYPE,
    subject: [...files]
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      .map((f) => ({ name: f.path, digest: { sha256: f.sha256 } })),
    predicateType: PREDICATE_TYPE,
    predicate,
  };
}

/** Structural parse of a statement decoded from an envelope; throws naming the JSON path. */
export function parseStatement(value: unknown, where: string): Statement {
  const s = value as Partial<Statement> | null;
  if (!s || typeof s !== 'object') throw new Error(`${where}: expected an in-toto Statement object`);
  if (s._type !== STATEMENT_TYPE) throw new Error(`${where}: $._type: expected ${STATEMENT_TYPE}`);
  if (s.predicateType !== PREDICATE_TYPE) throw new Error(`${where}: $.predicateType: expected ${PREDICATE_TYPE}`);
  if (!Array.isArray(s.subject)) throw new Error(`${where}: $.subject: expected an array`);
  s.subject.forEach((sub, i) => {
    if (!sub || typeof sub.name !== 'string' || typeof sub.digest?.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sub.digest.sha256)) {
      throw new Error(`${where}: $.subject[${i}]: expected {name, digest: {sha256: <64 hex>}}`);
    }
  });
  if (!s.predicate || typeof s.predicate !== 'object' || typeof s.predicate.signer?.public_key_pem !== 'string') {
    throw new Error(`${where}: $.predicate.signer.public_key_pem: expected a PEM string`);
  }
  return s as Statement;
}
