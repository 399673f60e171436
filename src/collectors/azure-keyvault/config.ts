/**
 * The `azure:` block of vaultproof.yaml: its JSON Schema, its TypeScript shape and its parser.
 * The parser validates with ajv and throws one clear error naming the file, the JSON path and what
 * was expected; it never lets a stack trace reach the user.
 */
import AjvModule from 'ajv';
import type { ErrorObject } from 'ajv';
import { CollectorConfigError } from '../types.js';

export type AzureCloudName = 'public' | 'usgov' | 'china';
export type CredentialKind = 'default' | 'managed-identity' | 'workload-identity' | 'certificate';

export interface AzureEndpoints {
  /** ARM endpoint, e.g. https://management.azure.com */
  arm: string;
  /** Entra ID authority host, e.g. https://login.microsoftonline.com */
  authority: string;
  /** Key Vault DNS suffix, e.g. vault.azure.net (informational; vault URIs come from ARM or config). */
  keyvault_suffix: string;
  /** Token audience for ARM, e.g. https://management.azure.com/.default */
  arm_scope: string;
  /** Microsoft Graph endpoint (principals), e.g. https://graph.microsoft.com; follows the cloud. */
  graph: string;
  /** Token audience for Microsoft Graph, e.g. https://graph.microsoft.com/.default */
  graph_scope: string;
}

export interface AzureVaultOverride {
  role?: 'primary' | 'secondary';
  subsystem?: string;
  region?: string;
}

export interface DataPlaneVault extends AzureVaultOverride {
  url: string;
  name?: string;
}

export interface AzureConfig {
  cloud?: AzureCloudName;
  endpoints?: Partial<AzureEndpoints>;
  subscriptions?: string[];
  filters?: { resource_groups?: string[]; tags?: Record<string, string>; names?: string[] };
  /** Data-plane-only mode: these vault URLs, no ARM calls at all. */
  data_plane_only?: { vaults: DataPlaneVault[] };
  credential?: { kind: CredentialKind; client_id?: string; tenant_id?: string; certificate_path?: string };
  key_vault?: { service_version?: string; disable_challenge_resource_verification?: boolean };
  /** Extra CA bundle (PEM) trusted for ARM and Key Vault calls, e.g. a private cloud's or a test CA. */
  tls?: { ca_file?: string };
  concurrency?: {
    vaults?: number;
    requests_per_vault?: number;
    vault_requests_per_10s?: number;
    arm_requests_per_subscription?: number;
    arm_reads_per_second?: number;
  };
  timeouts?: { call_ms?: number };
  retry?: { attempts?: number; base_delay_ms?: number; max_delay_ms?: number };
  collect?: { diagnostic_settings?: boolean; role_assignments?: boolean; deleted_objects?: boolean; managed_hsms?: boolean; principals?: boolean };
  mapping?: {
    role_tag?: string;
    subsystem_tag?: string;
    path_tag?: string;
    fallback_tag?: string;
    vaults?: Record<string, AzureVaultOverride>;
    pairs?: Array<{ primary: string; secondary: string }>;
  };
}

export const CLOUDS: Record<AzureCloudName, AzureEndpoints> = {
  public: { arm: 'https://management.azure.com', authority: 'https://login.microsoftonline.com', keyvault_suffix: 'vault.azure.net', arm_scope: 'https://management.azure.com/.default', graph: 'https://graph.microsoft.com', graph_scope: 'https://graph.microsoft.com/.default' },
  usgov: { arm: 'https://management.usgovcloudapi.net', authority: 'https://login.microsoftonline.us', keyvault_suffix: 'vault.usgovcloudapi.net', arm_scope: 'https://management.usgovcloudapi.net/.default', graph: 'https://graph.microsoft.us', graph_scope: 'https://graph.microsoft.us/.default' },
  china: { arm: 'https://management.chinacloudapi.cn', authority: 'https://login.chinacloudapi.cn', keyvault_suffix: 'vault.azure.cn', arm_scope: 'https://management.chinacloudapi.cn/.default', graph: 'https://microsoftgraph.chinacloudapi.cn', graph_scope: 'https://microsoftgraph.chinacloudapi.cn/.default' },
};

const positiveInt = { type: 'integer', minimum: 1 } as const;
const httpsUrl = { type: 'string', pattern: '^https://' } as const;
const override = {
  type: 'object',
  additionalProperties: false,
  properties: { role: { enum: ['primary', 'secondary'] }, subsystem: { type: 'string', minLength: 1 }, region: { type: 'string', minLength: 1 } },
} as const;

/** JSON Schema (draft-07) of the `azure:` block. */
export const azureConfigSchema = {
  $id: 'https://vaultproof.dev/schemas/config-azure.schema.json',
  title: 'vaultproof azure: block',
  type: 'object',
  additionalProperties: false,
  properties: {
    cloud: { enum: ['public', 'usgov', 'china'], description: 'Sovereign cloud; endpoints override single values.' },
    endpoints: {
      type: 'object',
      additionalProperties: false,
      properties: {
        arm: httpsUrl,
        authority: httpsUrl,
        keyvault_suffix: { type: 'string', minLength: 1 },
        arm_scope: { type: 'string', minLength: 1 },
        graph: { ...httpsUrl, description: 'Microsoft Graph endpoint (principals); default: the cloud\'s' },
        graph_scope: { type: 'string', minLength: 1 },
      },
    },
    subscriptions: { type: 'array', items: { type: 'string', pattern: '^[0-9a-fA-F-]{36}$' }, uniqueItems: true },
    filters: {
      type: 'object',
      additionalProperties: false,
      properties: {
        resource_groups: { type: 'array', items: { type: 'string', minLength: 1 } },
        tags: { type: 'object', additionalProperties: { type: 'string' } },
        names: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'vault name globs (* and ?)' },
      },
    },
    data_plane_only: {
      type: 'object',
      additionalProperties: false,
      required: ['vaults'],
      properties: {
        vaults: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['url'],
            properties: { url: httpsUrl, name: { type: 'string', minLength: 1 }, role: override.properties.role, subsystem: override.properties.subsystem, region: override.properties.region },
          },
        },
      },
    },
    credential: {
      type: 'object',
      additionalProperties: false,
      required: ['kind'],
      properties: {
        kind: { enum: ['default', 'managed-identity', 'workload-identity', 'certificate'] },
        client_id: { type: 'string', minLength: 1 },
        tenant_id: { type: 'string', minLength: 1 },
        certificate_path: { type: 'string', minLength: 1 },
      },
    },
    key_vault: {
      type: 'object',
      additionalProperties: false,
      properties: {
        service_version: { enum: ['7.0', '7.1', '7.2', '7.3', '7.4', '7.5', '7.6', '2025-07-01'] },
        disable_challenge_resource_verification: { type: 'boolean' },
      },
    },
    tls: { type: 'object', additionalProperties: false, properties: { ca_file: { type: 'string', minLength: 1 } } },
    concurrency: {
      type: 'object',
      additionalProperties: false,
      properties: {
        vaults: { ...positiveInt, maximum: 64 },
        requests_per_vault: { ...positiveInt, maximum: 32 },
        vault_requests_per_10s: { ...positiveInt, maximum: 2000, description: 'kept below Key Vault per-vault 10 s limits' },
        arm_requests_per_subscription: { ...positiveInt, maximum: 32 },
        arm_reads_per_second: { ...positiveInt, maximum: 25, description: 'ARM refills 25 reads/s per subscription' },
      },
    },
    timeouts: { type: 'object', additionalProperties: false, properties: { call_ms: { type: 'integer', minimum: 100, maximum: 600000 } } },
    retry: {
      type: 'object',
      additionalProperties: false,
      properties: { attempts: { ...positiveInt, maximum: 20 }, base_delay_ms: { type: 'integer', minimum: 0 }, max_delay_ms: { type: 'integer', minimum: 0 } },
    },
    collect: {
      type: 'object',
      additionalProperties: false,
      properties: {
        diagnostic_settings: { type: 'boolean' },
        role_assignments: { type: 'boolean' },
        deleted_objects: { type: 'boolean' },
        managed_hsms: { type: 'boolean' },
        principals: { type: 'boolean', description: 'resolve principals holding grants through Microsoft Graph (default true)' },
      },
    },
    mapping: {
      type: 'object',
      additionalProperties: false,
      properties: {
        role_tag: { type: 'string', minLength: 1 },
        subsystem_tag: { type: 'string', minLength: 1 },
        path_tag: { type: 'string', minLength: 1 },
        fallback_tag: { type: 'string', minLength: 1 },
        vaults: { type: 'object', additionalProperties: override },
        pairs: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['primary', 'secondary'],
            properties: { primary: { type: 'string', minLength: 1 }, secondary: { type: 'string', minLength: 1 } },
          },
        },
      },
    },
  },
  anyOf: [{ required: ['subscriptions'] }, { required: ['data_plane_only'] }],
} as const;

/** A config error that names the file, the JSON path inside it and what was expected. */
export class AzureConfigError extends CollectorConfigError {
  constructor(readonly file: string, readonly path: string, readonly expected: string) {
    super(`${file}: ${path}: ${expected}`);
    this.name = 'AzureConfigError';
  }
}

// ajv's ESM default export differs by loader; take the class wherever it is.
const Ajv = ((AjvModule as unknown as { default?: unknown }).default ?? AjvModule) as typeof AjvModule.default;
const validate = new Ajv({ allErrors: false, strict: false }).compile(azureConfigSchema);

function describe(err: ErrorObject): string {
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'additionalProperties':
      return `unknown key "${String(p.additionalProperty)}"`;
    case 'enum':
      return `expected one of ${JSON.stringify(p.allowedValues)}`;
    case 'anyOf':
      return 'expected "subscriptions" or "data_plane_only"';
    default:
      return `expected ${err.message ?? 'a valid value'}`;
  }
}

/** Validates the `azure:` block; `file` is the config file's path, used in the error message. */
export function parseAzureConfig(value: unknown, file: string): AzureConfig {
  if (!validate(value)) {
    const err = validate.errors?.[0];
    const jsonPath = err ? `azure${err.instancePath.replace(/\//g, '.').replace(/\.(\d+)(?=\.|$)/g, '[$1]')}` : 'azure';
    throw new AzureConfigError(file, jsonPath, err ? describe(err) : 'a valid azure block');
  }
  const cfg = value as AzureConfig;
  const pairs = cfg.mapping?.pairs ?? [];
  pairs.forEach((pair, i) => {
    if (pair.primary.toLowerCase() === pair.secondary.toLowerCase()) {
      throw new AzureConfigError(file, `azure.mapping.pairs[${i}]`, 'primary and secondary must be different vaults');
    }
  });
  if (cfg.credential?.kind === 'certificate' && (!cfg.credential.certificate_path || !cfg.credential.client_id || !cfg.credential.tenant_id)) {
    throw new AzureConfigError(file, 'azure.credential', 'kind "certificate" needs client_id, tenant_id and certificate_path');
  }
  return cfg;
}

/** Endpoints from the named cloud (default public) with explicit endpoint values on top. */
export function resolveEndpoints(cfg: AzureConfig): AzureEndpoints {
  const base = CLOUDS[cfg.cloud ?? 'public'];
  const e = cfg.endpoints ?? {};
  const arm = (e.arm ?? base.arm).replace(/\/+$/, '');
  const graph = (e.graph ?? base.graph).replace(/\/+$/, '');
  return {
    arm,
    authority: (e.authority ?? base.authority).replace(/\/+$/, ''),
    keyvault_suffix: e.keyvault_suffix ?? base.keyvault_suffix,
    arm_scope: e.arm_scope ?? (e.arm ? `${arm}/.default` : base.arm_scope),
    graph,
    graph_scope: e.graph_scope ?? (e.graph ? `${graph}/.default` : base.graph_scope),
  };
}
