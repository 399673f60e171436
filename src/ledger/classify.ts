/**
 * The value-read classifier: for each ledger call, whether it can have returned a secret value
 * (`value-read`), is a metadata read (`metadata`), or is not known to be either (`unclassified`).
 * Independent of the collectors' request guards, so the ledger proves what the guards promise.
 */
import type { Snapshot } from '../snapshot/types.js';
import { classifyAzureCall } from './classify-azure.js';
import { classifyVaultCall, type VaultMountInfo } from './classify-vault.js';
import type { Classification, LedgerCall } from './types.js';

export type { CallClass, Classification } from './types.js';

/** Vault mount tables by `<origin>|<namespace>`, from the snapshot the ledger belongs to. */
export type MountTables = Map<string, VaultMountInfo[]>;

function origin(address: string): string {
  try {
    return new URL(address).origin;
  } catch {
    return address;
  }
}

const norm = (ns: string | undefined) => (ns ?? '').replace(/^\/+|\/+$/g, '');

export function mountTablesFrom(snapshot: Pick<Snapshot, 'vaults'> | undefined): MountTables {
  const out: MountTables = new Map();
  for (const v of Object.values(snapshot?.vaults ?? {})) {
    if (v.provider !== 'hashicorp-vault' || !v.hashicorp) continue;
    const mounts = Object.values(v.hashicorp.mounts ?? {}).map((m) => ({ path: m.path.endsWith('/') ? m.path : `${m.path}/`, type: m.type, kv_version: m.kv_version }));
    out.set(`${origin(v.address)}|${norm(v.hashicorp.namespace)}`, mounts);
  }
  return out;
}

export function classifyCall(call: Pick<LedgerCall, 'provider' | 'method' | 'path' | 'endpoint' | 'namespace'>, mounts?: MountTables): Classification {
  if (call.provider === 'azure-keyvault') return classifyAzureCall(call.method, call.path);
  if (call.provider === 'hashicorp-vault') return classifyVaultCall(call.method, call.path, mounts?.get(`${origin(call.endpoint)}|${norm(call.namespace)}`));
  return { kind: 'unclassified', reason: `unknown provider ${String(call.provider)}` };
}
