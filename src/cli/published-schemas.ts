/**
 * The JSON Schemas published in `schemas/` for editors (`# yaml-language-server: $schema=...`) and
 * other tools, composed from the very schema objects the loaders validate with: the top level of
 * vaultproof.yaml (config/schema.ts, with the threshold limits and deviations), the provider blocks
 * (the collectors' schemas), the review block and the waiver file (engine/waivers.ts). Nothing is
 * written twice, so they cannot drift; test/cli/published-schemas.test.ts checks the committed files
 * are exactly these, and that the examples pass both the schema and the loaders.
 *
 * What a schema cannot say is checked by the loaders only: a threshold looser than the standard needs
 * an approved deviation, a waiver's rule must exist, its expiry be at most 90 days after the scan, its
 * reason hold words and its approvers be distinct.
 */
import { azureConfigSchema } from '../collectors/azure-keyvault/index.js';
import { eventsConfigSchema } from '../collectors/events/index.js';
import { hashicorpConfigSchema } from '../collectors/hashicorp-vault/index.js';
import { secretScansConfigSchema } from '../collectors/secret-scans/config.js';
import { consumersConfigSchema } from '../collectors/consumers/config.js';
import { configSchema } from '../config/schema.js';
import { waiverFileSchema } from '../engine/waivers.js';
import { reviewConfigSchema } from '../review/config.js';

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

/** A block's schema without its own `$id` (one document, one id). */
function block(schema: object, description: string): object {
  const { $id: _id, ...rest } = schema as { $id?: string };
  return { description, ...rest };
}

export const PUBLISHED_SCHEMAS = {
  config: {
    file: 'vaultproof-config-v1.schema.json',
    schema: () => ({
      $schema: DRAFT_07,
      $id: 'https://vaultproof.dev/schemas/vaultproof-config-v1.schema.json',
      title: 'vaultproof.yaml (version 1)',
      description:
        'Thresholds (the standard\'s by default; looser ones need an approved deviation), classification, waivers, principals and the providers to collect from. Generated from the loader\'s schemas: `vaultproof schema config`.',
      ...configSchema,
      properties: {
        ...configSchema.properties,
        azure: block(azureConfigSchema, 'Azure Key Vaults to collect (src/collectors/azure-keyvault/README.md).'),
        hashicorp: block(hashicorpConfigSchema, 'HashiCorp Vault clusters to collect (src/collectors/hashicorp-vault/README.md).'),
        events: block(eventsConfigSchema, 'Audit logs and platform records judged with the snapshot (src/collectors/events/README.md).'),
        secret_scans: block(secretScansConfigSchema, 'Reports of the secret scanners run on the code: gitleaks, TruffleHog, SARIF (src/collectors/secret-scans/README.md).'),
        consumers: block(consumersConfigSchema, 'Services that consume secrets, judged from their configuration files: cache TTL and fallback (docs/consumers.md).'),
        review: block(reviewConfigSchema, 'The monthly access review: roster, previous review, attestation (src/review/README.md).'),
      },
    }),
  },
  waivers: {
    file: 'waivers-v1.schema.json',
    schema: () => ({
      $schema: DRAFT_07,
      $id: 'https://vaultproof.dev/schemas/waivers-v1.schema.json',
      title: 'vaultproof waiver file (version 1)',
      description:
        'Exceptions to failing findings: rule, resource glob, reason, approvers (two for a critical rule), expiry at most 90 days after the scan. Generated from the loader\'s schema: `vaultproof schema waivers`.',
      ...waiverFileSchema,
    }),
  },
} as const;

export type PublishedSchemaName = keyof typeof PUBLISHED_SCHEMAS;

/** The schema document as published: two-space JSON and a final newline. */
export function publishedSchemaText(name: PublishedSchemaName): string {
  return JSON.stringify(PUBLISHED_SCHEMAS[name].schema(), null, 2) + '\n';
}
