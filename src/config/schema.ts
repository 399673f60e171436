/**
 * JSON Schema of vaultproof.yaml. Provider blocks (azure, hashicorp, events) are validated by their
 * collectors' own schemas when those collectors run; this schema owns everything else.
 */
import { principalRulesSchema } from './principals.js';

const classificationRule = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'match'],
  properties: {
    type: { enum: ['sp-certificate', 'api-token', 'signing-key', 'siem-secret', 'admin-key', 'scanner-token', 'publish-credential', 'generic'] },
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

const rotationDays = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(
    ['sp-certificate', 'api-token', 'scanner-token', 'signing-key', 'siem-secret', 'admin-key', 'publish-credential', 'generic'].map((t) => [
      t,
      { type: ['integer', 'null'], minimum: 1 },
    ]),
  ),
};

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['version'],
  properties: {
    version: { const: 1 },
    regions_in_scope: { type: 'array', items: { type: 'string', minLength: 1 } },
    thresholds: {
      type: 'object',
      // Keys and value types beyond these are checked against the bundle's defaults (config/thresholds.ts).
      properties: {
        rotation_days: rotationDays,
        token_expiry_alarm_days: { type: 'integer', minimum: 0 },
        replication_lag_minutes: { type: 'number', minimum: 0 },
        audit_hold_days: { type: 'integer', minimum: 0 },
        access_review_max_age_days: { type: 'integer', minimum: 1 },
        audit_retention_days: { type: 'integer', minimum: 1 },
        rotation_escalation_hours: { type: 'integer', minimum: 1 },
        subsystems: {
          type: 'object',
          additionalProperties: { type: 'object', additionalProperties: false, properties: { rotation_days: rotationDays } },
        },
      },
    },
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
    review: {},
    principals: principalRulesSchema,
  },
} as const;
