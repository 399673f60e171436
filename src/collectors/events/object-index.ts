/**
 * Maps what logs and records name (vault ids or names, ARM resource ids, vault hosts, Vault request
 * paths, Azure object URIs) to the snapshot's vault and object ids. Built once from the vaults; all
 * lookups are Maps, so hostile keys (`__proto__`, `constructor`) find nothing.
 */
import type { Vault } from '../../snapshot/types.js';
import { parseObjectUri } from './azure-auditevent.js';
import { globRegExp } from '../../util/glob.js';

export interface ObjectRef {
  vaultId: string;
  objectId: string;
  /** Object version named by the reference (Azure URI, `?version=` / `@<n>` is not parsed). */
  version: string | null;
}

/** A Vault request path resolved against the vault's mounts. */
export interface VaultPathInfo {
  /** `<mount>/<path>` as the snapshot's object path, or null when no KV mount holds it. */
  objectPath: string | null;
  /** A value path: KV v2 `data/`, or any KV v1 path. */
  value: boolean;
}

const KV2_PREFIXES = ['data/', 'metadata/', 'delete/', 'undelete/', 'destroy/'];

interface VaultEntry {
  vault: Vault;
  byPath: Map<string, string>;
  byKindName: Map<string, string>;
  /** Mount paths (with trailing slash), longest first, and whether they are KV v2. */
  mounts: Array<{ path: string; kv: 1 | 2 | null }>;
}

/** The path, or a folder above it (`project/EmergencyAccess/db` is in the `EmergencyAccess` folder), matches a break-glass pattern (as VP-ACC-005 judges it). */
export function onBreakGlassPath(path: string, patterns: RegExp[]): boolean {
  const parts = path.split('/');
  return parts.some((_, i) => {
    const prefix = parts.slice(0, i + 1).join('/');
    return patterns.some((p) => p.test(prefix));
  });
}

export class ObjectIndex {
  private readonly vaults = new Map<string, VaultEntry>();
  private readonly byName = new Map<string, string[]>();
  private readonly byHost = new Map<string, string>();
  private readonly objectVault = new Map<string, string>();
  private readonly objectPaths = new Map<string, string>();
  private readonly ids: string[] = [];
  readonly breakGlass = new Set<string>();

  /**
   * `vaults` are read once, one at a time (a snapshot file's vaults are read as they are asked for):
   * the index keeps each vault without its objects, and of every object only its id, path and name.
   */
  constructor(vaults: Iterable<Vault>, breakGlassPaths: string[]) {
    const patterns = breakGlassPaths.map((p) => globRegExp(p));
    for (const v of vaults) {
      const entry: VaultEntry = { vault: { ...v, objects: {} }, byPath: new Map(), byKindName: new Map(), mounts: mountsOf(v) };
      this.ids.push(v.id);
      for (const o of Object.values(v.objects)) {
        entry.byPath.set(o.path, o.id);
        entry.byKindName.set(`${o.kind}:${o.name.toLowerCase()}`, o.id);
        this.objectVault.set(o.id, v.id);
        this.objectPaths.set(o.id, o.path);
        if (onBreakGlassPath(o.path, patterns)) this.breakGlass.add(o.id);
      }
      this.vaults.set(v.id, entry);
      this.vaults.set(v.id.toLowerCase(), entry);
      const names = this.byName.get(v.name.toLowerCase()) ?? [];
      names.push(v.id);
      this.byName.set(v.name.toLowerCase(), names);
      const host = hostOf(v.address);
      if (host && v.provider === 'azure-keyvault') this.byHost.set(host, v.id);
    }
  }

  /** Every vault id, in the order the vaults were given. */
  vaultIds(): readonly string[] {
    return this.ids;
  }

  /** An object's path, by its id. */
  objectPath(objectId: string): string | undefined {
    return this.objectPaths.get(objectId);
  }

  /** A vault by id: its configuration, without its objects (look them up through the index). */
  vault(id: string): Vault | undefined {
    return this.vaults.get(id)?.vault;
  }

  /** A vault by id (any case), unique name, or address. */
  resolveVault(ref: string): Vault | undefined {
    const direct = this.vaults.get(ref) ?? this.vaults.get(ref.toLowerCase());
    if (direct) return direct.vault;
    const named = this.byName.get(ref.toLowerCase());
    if (named && named.length === 1) return this.vault(named[0] as string);
    const host = hostOf(ref);
    return host ? this.vault(this.byHost.get(host) ?? '') : undefined;
  }

  vaultByHost(host: string): Vault | undefined {
    return this.vault(this.byHost.get(host) ?? '');
  }

  /** The vault entry of a Vault Enterprise namespace of the same cluster, else the base vault. */
  namespaceVault(base: Vault, namespace: string): Vault {
    const own = (base.hashicorp?.namespace ?? '').replace(/^\/+|\/+$/g, '');
    if (namespace === own) return base;
    const candidate = this.vault(`${base.id.split('/')[0]}/${namespace}`) ?? this.vault(base.id.split('/')[0] as string);
    if (candidate && (candidate.hashicorp?.namespace ?? '').replace(/^\/+|\/+$/g, '') === namespace) return candidate;
    for (const e of this.vaults.values()) {
      if (e.vault.provider === 'hashicorp-vault' && e.vault.address === base.address && (e.vault.hashicorp?.namespace ?? '').replace(/^\/+|\/+$/g, '') === namespace) return e.vault;
    }
    return base;
  }

  /** Resolves a Vault request path (`secret/data/app/db`) against the vault's mounts. */
  vaultPath(vault: Vault, path: string, mountPoint: string | null, mountType: string | null): VaultPathInfo {
    const entry = this.vaults.get(vault.id);
    let mount = entry?.mounts.find((m) => path.startsWith(m.path));
    if (!mount && mountPoint && mountType === 'kv' && path.startsWith(mountPoint)) {
      const rest = path.slice(mountPoint.length);
      mount = { path: mountPoint.endsWith('/') ? mountPoint : `${mountPoint}/`, kv: KV2_PREFIXES.some((p) => rest.startsWith(p)) ? 2 : 1 };
    }
    if (!mount || mount.kv === null) return { objectPath: null, value: false };
    const rest = path.slice(mount.path.length);
    const name = mount.path.replace(/\/$/, '');
    if (mount.kv === 1) return { objectPath: rest ? `${name}/${rest}` : null, value: rest !== '' };
    const prefix = KV2_PREFIXES.find((p) => rest.startsWith(p));
    if (!prefix) return { objectPath: null, value: false };
    const inner = rest.slice(prefix.length);
    return { objectPath: inner ? `${name}/${inner}` : null, value: prefix === 'data/' };
  }

  objectByPath(vaultId: string, path: string): string | undefined {
    return this.vaults.get(vaultId)?.byPath.get(path);
  }

  objectByKindName(vaultId: string, kind: string, name: string): string | undefined {
    return this.vaults.get(vaultId)?.byKindName.get(`${kind}:${name.toLowerCase()}`);
  }

  vaultOfObject(objectId: string): string | undefined {
    return this.objectVault.get(objectId);
  }

  /** An Azure object URI → the object (vault from `vaultId` if given, else from the URI's host). */
  azureObject(uri: string, vaultId?: string): ObjectRef | undefined {
    const u = parseObjectUri(uri);
    if (!u || !u.kind || !u.name) return undefined;
    const vid = vaultId ?? this.vaultByHost(u.host)?.id;
    if (!vid) return undefined;
    const objectId = this.objectByKindName(vid, u.kind, u.name);
    return objectId ? { vaultId: vid, objectId, version: u.version } : undefined;
  }

  /**
   * What a record names as its object: a snapshot object id, an Azure object URI, or a Vault path
   * (`secret/app/db`, `secret/data/app/db`) in the record's vault.
   */
  resolveObject(ref: string, vaultRef: string | null): ObjectRef | undefined {
    const vault = vaultRef ? this.resolveVault(vaultRef) : undefined;
    if (vaultRef && !vault) return undefined;
    const owner = this.objectVault.get(ref);
    if (owner && (!vault || vault.id === owner)) return { vaultId: owner, objectId: ref, version: null };
    if (/^https?:\/\//i.test(ref)) {
      const viaUri = this.azureObject(ref, vault?.id);
      if (viaUri) return viaUri;
    }
    const candidates = vault ? [vault] : [...new Set([...this.vaults.values()].map((e) => e.vault))];
    const matches: ObjectRef[] = [];
    for (const v of candidates) {
      const path = ref.replace(/^\/+/, '');
      let id = this.objectByPath(v.id, path);
      if (!id && v.provider === 'hashicorp-vault') {
        const info = this.vaultPath(v, path.replace(/^v1\//, ''), null, null);
        if (info.objectPath) id = this.objectByPath(v.id, info.objectPath);
      }
      if (!id && v.provider === 'azure-keyvault' && !path.includes('/')) id = this.objectByKindName(v.id, 'secret', path);
      if (id) matches.push({ vaultId: v.id, objectId: id, version: null });
    }
    return matches.length === 1 ? matches[0] : undefined;
  }
}

function hostOf(address: string): string | null {
  const m = /^https?:\/\/([^/?#:]+)/i.exec(address);
  return m ? (m[1] as string).toLowerCase() : null;
}

function mountsOf(v: Vault): VaultEntry['mounts'] {
  const mounts = v.hashicorp?.mounts ?? {};
  return Object.values(mounts)
    .map((m) => {
      const path = m.path.endsWith('/') ? m.path : `${m.path}/`;
      const kv = m.type === 'kv' ? (m.kv_version === 2 || m.options?.version === '2' ? 2 : 1) : m.type === 'generic' ? 1 : null;
      return { path, kv: kv as 1 | 2 | null };
    })
    .sort((a, b) => b.path.length - a.path.length);
}
