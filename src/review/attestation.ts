/**
 * Attestation: reviewers record keep/revoke per grant in a YAML file; `vaultproof review attest`
 * validates it against the review it answers (same review id and digest, every grant decided once,
 * nothing else) and writes the attestation JSON that goes, signed, into the next evidence pack. Next
 * month, revocations that were not carried out become VP-REV-005 failures, and the attested review's
 * completion date feeds the rulebook's VaultAccessReview rule (VP-ACC-006).
 */
import type { ValidateFunction } from 'ajv';
import { stringify } from 'yaml';
import { parseYaml } from '../config/load.js';
import { InputError } from '../util/input-error.js';
import { assertValid, createAjv } from '../util/schema-validator.js';
import type { AccessReview } from '../snapshot/types.js';
import { COLUMNS, type Attestation, type AttestationDecision, type ReviewDocument } from './types.js';

export const ATTESTATION_SCHEMA = 'vaultproof/access-review-attestation/v1';

const text = { type: 'string' } as const;
const decisionsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['review_id', 'review_sha256', 'completed_at', 'reviewers', 'decisions'],
  properties: {
    review_id: { type: 'string', minLength: 1 },
    review_sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    completed_at: { type: 'string', format: 'date' },
    reviewers: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 } },
    decisions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['grant', 'decision'],
        properties: {
          grant: { type: 'string', minLength: 1 },
          decision: { enum: ['keep', 'revoke'] },
          reason: text,
          reviewer: text,
          // Shown to the reviewers for context; ignored.
          principal: text,
          vault: text,
          scope: text,
          capabilities: text,
          via: text,
        },
      },
    },
  },
} as const;

const attestationSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['schema', 'review_id', 'review_sha256', 'completed_at', 'reviewers', 'decisions'],
  properties: {
    schema: { const: ATTESTATION_SCHEMA },
    review_id: decisionsSchema.properties.review_id,
    review_sha256: decisionsSchema.properties.review_sha256,
    completed_at: decisionsSchema.properties.completed_at,
    reviewers: decisionsSchema.properties.reviewers,
    decisions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['grant', 'decision'],
        properties: { grant: decisionsSchema.properties.decisions.items.properties.grant, decision: { enum: ['keep', 'revoke'] }, reason: text, reviewer: text },
      },
    },
  },
} as const;

let decisionsValidator: ValidateFunction | undefined;
let attestationValidator: ValidateFunction | undefined;

interface RawDecisions {
  review_id: string;
  review_sha256: string;
  completed_at: string;
  reviewers: string[];
  decisions: Array<AttestationDecision & Record<string, unknown>>;
}

/** The YAML file reviewers fill in: one entry per grant, decision `pending` until they decide. */
export function decisionsTemplate(review: ReviewDocument, reviewSha256: string): string {
  const names = new Map(review.principals.map((p) => [p.id, p.name]));
  const vaults = new Map(review.vaults.map((v) => [v.id, v.name]));
  const body = {
    review_id: review.review_id,
    review_sha256: reviewSha256,
    completed_at: '',
    reviewers: [],
    decisions: review.grants.map((g) => ({
      grant: g.id,
      principal: names.get(g.principal) ?? g.principal,
      vault: vaults.get(g.vault) ?? g.vault,
      scope: g.except.length ? `${g.scope} (except ${g.except.join(', ')})` : g.scope,
      capabilities: COLUMNS.filter((c) => g.columns.includes(c)).join(', '),
      decision: 'pending',
      reason: '',
    })),
  };
  const head = [
    `# Access review ${review.review_id} (scan ${review.scan.id}, ${review.scan.now}): reviewers' decisions.`,
    '# Set every `decision` to keep or revoke (a reason is expected for revoke), fill in completed_at',
    '# (YYYY-MM-DD) and reviewers, then run: vaultproof review attest THIS_FILE access-review-attestation.json --review access-review.json',
    '# principal, vault, scope and capabilities are shown for context and are not read.',
  ].join('\n');
  return `${head}\n${stringify(body, { lineWidth: 0 })}`;
}

/** Validates reviewers' decisions against the review they answer; errors name the file and the path. */
export function parseDecisions(yamlText: string, file: string, review: ReviewDocument, reviewSha256: string): Attestation {
  const value = parseYaml(yamlText, file);
  decisionsValidator ??= createAjv().compile(decisionsSchema);
  assertValid<RawDecisions>(decisionsValidator, value, file);
  const raw = value as RawDecisions;
  if (raw.review_id !== review.review_id) throw new InputError(file, '$.review_id', `expected "${review.review_id}" (the review given with --review), found "${raw.review_id}"`);
  if (raw.review_sha256 !== reviewSha256) throw new InputError(file, '$.review_sha256', `expected ${reviewSha256} (sha256 of the review given with --review): the decisions were made on a different review file`);
  const reviewDay = review.scan.now.slice(0, 10);
  if (raw.completed_at < reviewDay) throw new InputError(file, '$.completed_at', `expected a date on or after the review's scan date ${reviewDay}, found ${raw.completed_at}`);
  const known = new Set(review.grants.map((g) => g.id));
  const seen = new Map<string, number>();
  raw.decisions.forEach((d, i) => {
    if (!known.has(d.grant)) throw new InputError(file, `$.decisions[${i}].grant`, `grant "${d.grant}" is not in review ${review.review_id}`);
    if (seen.has(d.grant)) throw new InputError(file, `$.decisions[${i}].grant`, `grant "${d.grant}" already decided at $.decisions[${seen.get(d.grant)}]`);
    seen.set(d.grant, i);
    if (d.decision === 'revoke' && !d.reason?.trim()) throw new InputError(file, `$.decisions[${i}].reason`, 'a revoke decision needs a reason');
    if (d.reviewer !== undefined && !raw.reviewers.includes(d.reviewer)) throw new InputError(file, `$.decisions[${i}].reviewer`, `expected one of the reviewers (${raw.reviewers.join(', ')}), found "${d.reviewer}"`);
  });
  const missing = review.grants.filter((g) => !seen.has(g.id));
  if (missing.length > 0) throw new InputError(file, '$.decisions', `${missing.length} grant(s) of the review have no decision, first: "${(missing[0] as { id: string }).id}"`);
  return {
    schema: ATTESTATION_SCHEMA,
    review_id: raw.review_id,
    review_sha256: raw.review_sha256,
    completed_at: raw.completed_at,
    reviewers: [...raw.reviewers],
    decisions: raw.decisions
      .map((d) => ({ grant: d.grant, decision: d.decision, ...(d.reason?.trim() ? { reason: d.reason.trim() } : {}), ...(d.reviewer ? { reviewer: d.reviewer } : {}) }))
      .sort((a, b) => (a.grant < b.grant ? -1 : a.grant > b.grant ? 1 : 0)),
  };
}

/** Validates an attestation JSON (written by `review attest`, or read back from a pack). */
export function parseAttestation(value: unknown, file: string): Attestation {
  attestationValidator ??= createAjv().compile(attestationSchema);
  assertValid<Attestation>(attestationValidator, value, file);
  return value as Attestation;
}

/**
 * The attested review as VaultAccessReview facts: one completed review for every vault it covered.
 * Its open items on a vault are the revocations it decided there that are not carried out: still
 * in `current` (the grants of the snapshot being judged), or every one decided when not given.
 */
export function accessReviewFacts(attestation: Attestation, review: ReviewDocument, current?: Record<string, unknown>): Record<string, AccessReview> {
  const completed = Date.parse(`${attestation.completed_at}T00:00:00Z`) / 1000;
  const vaultOf = new Map(review.grants.map((g) => [g.id, g.vault]));
  const open = new Map<string, number>();
  for (const d of attestation.decisions) {
    if (d.decision !== 'revoke' || (current && !Object.hasOwn(current, d.grant))) continue;
    const v = vaultOf.get(d.grant);
    if (v !== undefined) open.set(v, (open.get(v) ?? 0) + 1);
  }
  return Object.fromEntries(review.vaults.map((v) => [v.id, { review_id: attestation.review_id, completed_at: completed, reviewers: [...attestation.reviewers], open_items: open.get(v.id) ?? 0 }]));
}
