/**
 * The value-read classifier: for each ledger call, whether it can have returned a secret value
 * (`value-read`), is a metadata read (`metadata`), or is not known to be either (`unclassified`).
 * Independent of the collectors' request guards, so the ledger proves what the guards promise.
 */
import type { Snapshot, Vault } from '../snapshot/types.js';
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

/**
 * What `mountTablesFrom` reads of a snapshot read vault by vault (a snapshot file): of each HashiCorp
 * vault only its provider, address, namespace and mounts, the vaults in `vaultIds`' order (a file's
 * order: where two vaults share an address and namespace, the later one's table is used, as in the
 * snapshot parsed whole).
 */
export function mountVaultsOf(reader: { readonly vaultIdsInFileOrder: readonly string[]; readVault(id: string): Vault }): Pick<Snapshot, 'vaults'> {
  const vaults: Snapshot['vaults'] = {};
  for (const id of reader.vaultIdsInFileOrder) {
    const v = reader.readVault(id);
    if (v.provider !== 'hashicorp-vault' || !v.hashicorp) continue;
    const kept = { provider: v.provider, address: v.address, hashicorp: { namespace: v.hashicorp.namespace, mounts: v.hashicorp.mounts } } as Vault;
    // Defined, not assigned: a vault id `__proto__` stays a vault, as JSON.parse keeps it.
    Object.defineProperty(vaults, id, { value: kept, enumerable: true, writable: true, configurable: true });
  }
  return { vaults };
}

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
