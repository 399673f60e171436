/**
 * The `hashicorp:` block of vaultproof.yaml: a list of Vault clusters. Credentials never live in the
 * file: it names environment variables or files holding them. VAULT_ADDR, VAULT_TOKEN,
 * VAULT_NAMESPACE and VAULT_CACERT are honoured as defaults, as the Vault CLI does.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import { CollectorConfigError, type Environment } from '../types.js';

const name = { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' };
const mount = { type: 'string', minLength: 1, description: 'auth mount path, without auth/ (default: the method name)' };

const authSchema = {
  description: 'How the collector logs in. Defaults to a token read from VAULT_TOKEN.',
  oneOf: [
    { type: 'object', additionalProperties: false, required: ['method'], properties: { method: { const: 'token' }, token_env: { type: 'string', minLength: 1, default: 'VAULT_TOKEN' } } },
    {
      type: 'object',
      additionalProperties: false,
      required: ['method', 'role_id_env', 'secret_id_env'],
      properties: { method: { const: 'approle' }, mount, role_id_env: { type: 'string', minLength: 1 }, secret_id_env: { type: 'string', minLength: 1 } },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['method', 'role'],
      properties: { method: { const: 'kubernetes' }, mount, role: { type: 'string', minLength: 1 }, jwt_file: { type: 'string', minLength: 1, default: '/var/run/secrets/kubernetes.io/serviceaccount/token' } },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['method', 'role'],
      properties: { method: { const: 'jwt' }, mount, role: { type: 'string', minLength: 1 }, jwt_env: { type: 'string', minLength: 1 }, jwt_file: { type: 'string', minLength: 1 } },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['method', 'role'],
      properties: {
        method: { const: 'azure' },
        mount,
        role: { type: 'string', minLength: 1 },
        resource: { type: 'string', minLength: 1, default: 'https://management.azure.com/' },
        imds_endpoint: { type: 'string', minLength: 1, description: 'managed identity token endpoint (default: the Azure IMDS address)' },
        subscription_id: { type: 'string' },
        resource_group_name: { type: 'string' },
        vm_name: { type: 'string' },
        vmss_name: { type: 'string' },
      },
    },
  ],
} as const;

export const hashicorpClusterSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'region'],
  properties: {
    name: { ...name, description: 'cluster name; the vault id is hashicorp-vault:<name>' },
    address: { type: 'string', pattern: '^https?://', description: 'API address (default VAULT_ADDR)' },
    region: { type: 'string', minLength: 1 },
    role: { enum: ['primary', 'secondary'], default: 'primary' },
    subsystem: { type: 'string', minLength: 1 },
    tags: { type: 'object', additionalProperties: { type: 'string' } },
    namespace: { type: 'string', description: 'Enterprise namespace to scan (default VAULT_NAMESPACE, else the root namespace)' },
    namespaces: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'further namespaces, each scanned as its own vault entry' },
    discover_namespaces: { type: 'boolean', default: false, description: 'Enterprise: walk sys/namespaces recursively below `namespace`' },
    auth: authSchema,
    ca_cert: { type: 'string', minLength: 1, description: 'PEM CA bundle file (default VAULT_CACERT)' },
    concurrency: { type: 'integer', minimum: 1, maximum: 64, default: 8 },
    timeout_seconds: { type: 'number', exclusiveMinimum: 0, maximum: 300, default: 30 },
    retries: { type: 'integer', minimum: 0, maximum: 10, default: 4 },
    replicates_to: { ...name, description: 'name of the secondary cluster (in this list) this primary replicates to' },
    replication: { enum: ['performance', 'dr'], default: 'performance' },
    root_tokens: { type: 'boolean', default: true, description: 'list token accessors to find root tokens (needs sudo on auth/token/accessors)' },
    pki: { type: 'boolean', default: true },
  },
} as const;

export const hashicorpConfigSchema = {
  $id: 'https://vaultproof.dev/schemas/config-hashicorp.json',
  title: 'hashicorp: Vault clusters to collect',
  type: 'array',
  items: hashicorpClusterSchema,
} as const;

export type HashicorpAuth =
  | { method: 'token'; token_env: string }
  | { method: 'approle'; mount?: string; role_id_env: string; secret_id_env: string }
  | { method: 'kubernetes'; mount?: string; role: string; jwt_file: string }
  | { method: 'jwt'; mount?: string; role: string; jwt_env?: string; jwt_file?: string }
  | { method: 'azure'; mount?: string; role: string; resource: string; imds_endpoint?: string; subscription_id?: string; resource_group_name?: string; vm_name?: string; vmss_name?: string };

export interface HashicorpClusterConfig {
  name: string;
  address: string;
  region: string;
  role: 'primary' | 'secondary';
  subsystem?: string;
  tags?: Record<string, string>;
  namespace: string;
  namespaces: string[];
  discover_namespaces: boolean;
  auth: HashicorpAuth;
  /** PEM text of the CA bundle (read from `ca_cert` / VAULT_CACERT). */
  ca_pem?: string;
  ca_cert?: string;
  concurrency: number;
  timeout_seconds: number;
  retries: number;
  replicates_to?: string;
  replication: 'performance' | 'dr';
  root_tokens: boolean;
  pki: boolean;
}

export interface HashicorpConfig {
  clusters: HashicorpClusterConfig[];
}

export class HashicorpConfigError extends CollectorConfigError {
  constructor(message: string) {
    super(message);
    this.name = 'HashicorpConfigError';
  }
}

const ajv = new Ajv({ useDefaults: true, allErrors: false, strict: false });
const validate = ajv.compile(hashicorpConfigSchema);

function jsonPath(instancePath: string): string {
  return (
    'hashicorp' +
    instancePath
      .split('/')
      .slice(1)
      .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
      .join('')
  );
}

function describe(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') return `unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  if (e.keyword === 'required') return `missing required key "${(e.params as { missingProperty: string }).missingProperty}"`;
  if (e.keyword === 'oneOf') return 'expected one of the auth methods token {token_env}, approle {role_id_env, secret_id_env}, kubernetes {role, jwt_file}, jwt {role, jwt_env|jwt_file}, azure {role, resource, imds_endpoint}';
  return `expected ${e.message ?? 'a valid value'}`;
}

/** Validates the `hashicorp:` block and applies the VAULT_* defaults. Errors name the file and path. */
export function parseHashicorpConfig(value: unknown, file: string, env: Environment): HashicorpConfig {
  const data = structuredClone(value ?? []);
  if (!validate(data)) {
    const errors = validate.errors ?? [];
    // An auth block matching no oneOf branch: report the oneOf, not the first branch's complaint.
    const e = (errors.find((x) => x.keyword === 'oneOf') ?? errors[0]) as ErrorObject;
    throw new HashicorpConfigError(`${file}: ${jsonPath(e.instancePath)}: ${describe(e)}`);
  }
  const raw = data as Record<string, unknown>[];
  const names = new Set<string>();
  const clusters = raw.map((c, i) => {
    const at = `${file}: hashicorp[${i}]`;
    const nm = c.name as string;
    if (names.has(nm)) throw new HashicorpConfigError(`${at}.name: duplicate cluster name "${nm}"`);
    names.add(nm);
    const address = (c.address as string | undefined) ?? env.VAULT_ADDR;
    if (!address) throw new HashicorpConfigError(`${at}.address: missing (set it or VAULT_ADDR)`);
    if (!/^https?:\/\//.test(address)) throw new HashicorpConfigError(`${at}.address: expected an http(s) URL, got "${address}"`);
    const caFile = (c.ca_cert as string | undefined) ?? env.VAULT_CACERT;
    let caPem: string | undefined;
    if (caFile) {
      try {
        caPem = readFileSync(caFile, 'utf8');
      } catch (err) {
        throw new HashicorpConfigError(`${at}.ca_cert: cannot read "${caFile}" (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      }
    }
    const cluster: HashicorpClusterConfig = {
      ...(c as unknown as HashicorpClusterConfig),
      address: address.replace(/\/+$/, ''),
      namespace: normaliseNamespace((c.namespace as string | undefined) ?? env.VAULT_NAMESPACE ?? ''),
      namespaces: ((c.namespaces as string[] | undefined) ?? []).map(normaliseNamespace),
      auth: withAuthDefaults(c.auth as HashicorpAuth | undefined),
      ...(caFile ? { ca_cert: caFile, ca_pem: caPem } : {}),
    };
    return cluster;
  });
  clusters.forEach((c, i) => {
    if (c.replicates_to !== undefined && !names.has(c.replicates_to)) {
      throw new HashicorpConfigError(`${file}: hashicorp[${i}].replicates_to: no cluster named "${c.replicates_to}" in this list`);
    }
    if (c.replicates_to === c.name) throw new HashicorpConfigError(`${file}: hashicorp[${i}].replicates_to: a cluster cannot replicate to itself`);
  });
  return { clusters };
}

/** ajv applies no defaults inside oneOf branches: the auth defaults are applied here. */
function withAuthDefaults(auth: HashicorpAuth | undefined): HashicorpAuth {
  if (!auth) return { method: 'token', token_env: 'VAULT_TOKEN' };
  if (auth.method === 'token') return { ...auth, token_env: auth.token_env ?? 'VAULT_TOKEN' };
  if (auth.method === 'kubernetes') return { ...auth, jwt_file: auth.jwt_file ?? '/var/run/secrets/kubernetes.io/serviceaccount/token' };
  if (auth.method === 'azure') return { ...auth, resource: auth.resource ?? 'https://management.azure.com/' };
  return auth;
}

/** `a/b/` → `a/b`; the root namespace is `""`. */
export function normaliseNamespace(ns: string): string {
  return ns.replace(/^\/+|\/+$/g, '');
}
