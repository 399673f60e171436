/**
 * The raw API responses the walkers gather (metadata only), before the pure transform maps them to
 * snapshot types. `null` means "could not be read" (its scope is then recorded incomplete).
 */
import type { CollectionScope } from '../../snapshot/types.js';
import { describeFailure } from './client.js';

export type Json = Record<string, unknown>;

export interface RawKvSecret {
  /** Mount path with trailing slash. */
  mount: string;
  /** Secret path inside the mount. */
  path: string;
  /** The `data` of GET <mount>/metadata/<path>. */
  metadata: Json;
}

/** A KV v1 secret: listed only (KV v1 keeps no metadata, and a read would return the value). */
export interface RawKvV1Secret {
  /** Mount path with trailing slash. */
  mount: string;
  /** Secret path inside the mount. */
  path: string;
}

export interface RawAuthRole {
  /** Auth mount path without `auth/`, with trailing slash. */
  mount: string;
  /** Auth method type (approle, kubernetes, jwt, oidc, azure, cert, userpass). */
  type: string;
  name: string;
  data: Json;
}

export interface RawPkiCert {
  mount: string;
  serial: string;
  pem: string;
  /** Read as an issuer (CA) rather than a leaf from certs/. */
  issuer: boolean;
}

/** A transit key's properties (`GET <transit>/keys/<name>`): metadata and public keys only, never key material. */
export interface RawTransitKey {
  /** Mount path with trailing slash. */
  mount: string;
  name: string;
  data: Json;
}

export interface RawRootToken {
  accessor_hash: string;
  creation_time: number | null;
  expire_time: string | null;
}

export interface RawNamespace {
  namespace: string;
  mounts: Record<string, Json> | null;
  kvConfigs: Record<string, Json | null>;
  kvSecrets: RawKvSecret[];
  kvV1Secrets: RawKvV1Secret[];
  authMethods: Record<string, Json> | null;
  authRoles: RawAuthRole[];
  entities: Json[] | null;
  groups: Json[] | null;
  /** Policy name → HCL text. */
  policies: Record<string, string> | null;
  rootTokens: RawRootToken[] | null;
  pki: RawPkiCert[];
  /** PKI mount → role name → `GET <pki>/roles/<name>` data; null when the mount's roles could not be read. */
  pkiRoles: Record<string, Record<string, Json> | null>;
  transitKeys: RawTransitKey[];
}

export interface RawCluster {
  sealStatus: Json | null;
  /**
   * `data` of sys/license/status (Vault Enterprise only); `'enterprise-only'` when the server answered 404
   * "enterprise-only feature" (open source); null when it was not read (refused, failed, not logged in).
   */
  licenseStatus?: Json | 'enterprise-only' | null;
  keyStatus: Json | null;
  /** `data` of sys/config/state/sanitized (listeners, cluster and API addresses). */
  serverConfig: Json | null;
  /** `data.headers` of sys/config/auditing/request-headers (audited request headers). */
  auditHeaders: Json | null;
  /** The request header the scan's correlation id travels in (lower-cased). */
  correlationHeader: string;
  audit: Record<string, Json> | null;
  /** `data` of sys/replication/status; `'not-available'` when the server answered 404 (OSS). */
  replication: Json | 'not-available' | null;
  /** lookup-self of the scanning token (no token id, no accessor kept). */
  self: Json | null;
  namespaces: RawNamespace[];
}

export function emptyNamespace(namespace: string): RawNamespace {
  return { namespace, mounts: null, kvConfigs: {}, kvSecrets: [], kvV1Secrets: [], authMethods: null, authRoles: [], entities: null, groups: null, policies: null, rootTokens: null, pki: [], pkiRoles: {}, transitKeys: [] };
}

/** Collects per-scope outcomes; a scope with any recorded problem is incomplete. */
export class ScopeRecorder {
  private readonly problems = new Map<string, string[]>();
  private readonly order: string[] = [];

  /** Declares a scope (complete unless a problem is added). */
  open(scope: string): void {
    if (!this.problems.has(scope)) {
      this.problems.set(scope, []);
      this.order.push(scope);
    }
  }

  fail(scope: string, reason: string): void {
    this.open(scope);
    (this.problems.get(scope) as string[]).push(reason);
  }

  failWith(scope: string, e: unknown): void {
    this.fail(scope, describeFailure(e));
  }

  isComplete(scope: string): boolean {
    return (this.problems.get(scope) ?? []).length === 0;
  }

  toScopes(): CollectionScope[] {
    return this.order.map((scope) => {
      // Sorted: which of several concurrent failures came first must not change the snapshot.
      const p = [...(this.problems.get(scope) as string[])].sort();
      if (p.length === 0) return { provider: 'hashicorp-vault', scope, status: 'complete' };
      const reason = p.length === 1 ? (p[0] as string) : `${p[0]} (and ${p.length - 1} more failure${p.length > 2 ? 's' : ''})`;
      return { provider: 'hashicorp-vault', scope, status: 'incomplete', reason };
    });
  }
}

/** Runs `fn`, recording a failure on `scope` instead of throwing; returns null on failure. */
export async function attempt<T>(scopes: ScopeRecorder, scope: string, fn: () => Promise<T>): Promise<T | null> {
  scopes.open(scope);
  try {
    return await fn();
  } catch (e) {
    scopes.failWith(scope, e);
    return null;
  }
}

export const asJson = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
