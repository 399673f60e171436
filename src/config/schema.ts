/**
 * JSON Schema of vaultproof.yaml. Provider blocks (azure, hashicorp, events) are validated by their
 * collectors' own schemas when those collectors run; this schema owns everything else.
 */
import { deviationsSchema } from './deviations.js';
import { principalRulesSchema } from './principals.js';
import { CREDENTIAL_TYPES, thresholdsSchema } from './threshold-limits.js';

const classificationRule = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'match'],
  properties: {
    type: { enum: [...CREDENTIAL_TYPES] },
    match: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        kind: { enum: ['secret', 'key', 'certificate'] },
        path: { type: 'string', minLength: 1 },
        content_type: { type: 'string', minLength: 1 },
        tag: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
  },
} as const;

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['version'],
  properties: {
    version: { const: 1 },
    regions_in_scope: { type: 'array', items: { type: 'string', minLength: 1 } },
    // Every key, at every depth, with the standard's bounds (threshold-limits.ts); the loader's
    // threshold checker reports the same violations first, with what was expected.
    thresholds: thresholdsSchema,
    // Settings looser than the standard, each with its reason and approvers (deviations.ts).
    deviations: deviationsSchema,
    classification: { type: 'array', items: classificationRule },
    classification_mode: { enum: ['prepend', 'replace'] },
    waivers: { type: 'string', minLength: 1 },
    collection: {
      type: 'object',
      additionalProperties: false,
      properties: { deadline_seconds: { type: 'integer', minimum: 1 } },
    },
    // Provider blocks are validated by their collectors (collectors/*/config.ts).
    azure: {},
    hashicorp: {},
    events: {},
    // The services that consume secrets (collectors/consumers/config.ts).
    consumers: {},
    // The secret scanners' reports (collectors/secret-scans/config.ts).
    secret_scans: {},
    review: {},
    principals: principalRulesSchema,
  },
} as const;
