/**
 * The optional `review:` block of vaultproof.yaml, validated here (the top-level schema accepts the
 * block as is): the roster of principals expected to hold access (VP-REV-004), and last month's
 * review and the reviewers' attestation of it (VP-REV-005, VP-ACC-006). Every evaluation with the
 * config (`scan`, `evaluate`, `render evidence-pack`, `review`) gives them to the rules, so its
 * findings do not depend on whether it writes an evidence pack.
 *
 * ```yaml
 * review:
 *   roster:                  # principal ids or display names; omit to skip the roster check
 *     - aad:mi-orchestrator
 *     - vault-admins
 *   previous: packs/2026-10  # last month's evidence pack, or its access-review.json
 *   attestation: reviews/2026-10-attestation.json
 * ```
 */
import { dirname, resolve } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { InputError } from '../util/input-error.js';
import { assertValid, createAjv } from '../util/schema-validator.js';

export const reviewConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    roster: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
    previous: { type: 'string', minLength: 1 },
    attestation: { type: 'string', minLength: 1 },
  },
} as const;

export interface ReviewConfig {
  roster?: string[];
  /** Resolved relative to the config file. */
  previous?: string;
  /** Resolved relative to the config file. */
  attestation?: string;
}

let compiled: ValidateFunction | undefined;

/** Validates the `review:` block (`value` is the block itself); errors name the file and `$.review...`. */
export function parseReviewConfig(value: unknown, file: string): ReviewConfig {
  if (value === undefined || value === null) return {};
  compiled ??= createAjv().compile(reviewConfigSchema);
  try {
    assertValid<ReviewConfig>(compiled, value, file);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(file, e.path.replace(/^\$/, '$.review'), e.detail);
    throw e;
  }
  const cfg = value as ReviewConfig;
  const base = dirname(file);
  return {
    ...(cfg.roster ? { roster: [...cfg.roster] } : {}),
    ...(cfg.previous ? { previous: resolve(base, cfg.previous) } : {}),
    ...(cfg.attestation ? { attestation: resolve(base, cfg.attestation) } : {}),
  };
}
