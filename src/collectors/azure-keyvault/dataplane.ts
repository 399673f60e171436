/**
 * Key Vault data-plane reads, properties only: secrets, keys and certificates with every version,
 * key facts (public JWK), key rotation policies, certificate policies and soft-deleted objects.
 * No call here returns a secret value, and the guard policy in every client refuses any that would.
 * Each list ends as an `ObjectList` that says whether it is complete and, when not, why.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { CommonClientOptions } from '@azure/core-client';
import { SecretClient, type DeletedSecret, type SecretProperties } from '@azure/keyvault-secrets';
import { KeyClient, type DeletedKey, type KeyProperties, type KeyRotationPolicy, type KeyVaultKey } from '@azure/keyvault-keys';
import {
  CertificateClient,
  type CertificatePolicy,
  type CertificateProperties,
  type DeletedCertificate,
} from '@azure/keyvault-certificates';
import { describeFailure, isNotFound, NEEDS } from './failures.js';
import { mapLimit } from './limiter.js';

export interface CollectedSecret {
  properties: SecretProperties;
  versions: SecretProperties[];
}
export interface CollectedKey {
  properties: KeyProperties;
  latest: KeyVaultKey;
  versions: KeyProperties[];
  rotationPolicy: KeyRotationPolicy | null;
}
export interface CollectedCertificate {
  properties: CertificateProperties;
  versions: CertificateProperties[];
  policy: CertificatePolicy | null;
}

export interface ObjectList<T> {
  items: T[];
  /** Reasons the list is incomplete; empty when complete. */
  problems: string[];
}

export interface DataPlaneResult {
  secrets: ObjectList<CollectedSecret>;
  keys: ObjectList<CollectedKey>;
  certificates: ObjectList<CollectedCertificate>;
  deleted: { secrets: ObjectList<DeletedSecret>; keys: ObjectList<DeletedKey>; certificates: ObjectList<DeletedCertificate> } | null;
}

export interface DataPlaneOptions {
  vaultUrl: string;
  credential: TokenCredential;
  /** Pipeline options carrying the guard, resilience policy and TLS settings for this vault. */
  clientOptions: CommonClientOptions;
  serviceVersion: string;
  disableChallengeResourceVerification: boolean;
  /** How many per-object reads to have queued at once (the vault's budget limits what is in flight). */
  fanOut: number;
  includeDeleted: boolean;
  /** Managed HSM: keys only. */
  keysOnly?: boolean;
  onObjectDone?: () => void;
  /** Called with the number of objects each top-level list found (progress totals). */
  onListed?: (n: number) => void;
}

async function drain<T>(iter: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iter) out.push(item);
  return out;
}

/** Lists the top level, then reads per-object details; a failed detail drops that object and is recorded. */
async function collectList<L, T>(
  label: string,
  list: () => AsyncIterable<L>,
  needs: string,
  detail: (item: L) => Promise<T>,
  nameOf: (item: L) => string,
  fanOut: number,
  onDone?: () => void,
  onListed?: (n: number) => void,
): Promise<ObjectList<T>> {
  let listed: L[];
  try {
    listed = await drain(list());
  } catch (err) {
    return { items: [], problems: [`${label}: ${describeFailure(err, needs)}`] };
  }
  onListed?.(listed.length);
  const problems: string[] = [];
  const results = await mapLimit(listed, fanOut, async (item) => {
    try {
      return await detail(item);
    } catch (err) {
      problems.push(`${label} ${nameOf(item)}: ${(err as { reason?: string }).reason ?? describeFailure(err, needs)}`);
      return undefined;
    } finally {
      onDone?.();
    }
  });
  return { items: results.filter((r): r is Awaited<T> => r !== undefined), problems: problems.sort() };
}

class DetailFailure extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

async function step<T>(what: string, needs: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new DetailFailure(`${what}: ${describeFailure(err, needs)}`);
  }
}

/** Returns null for a 404 (the object has no such sub-resource); rethrows other failures with a reason. */
async function optional<T>(what: string, needs: string, fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (err) {
    if (isNotFound(err)) return null;
    throw new DetailFailure(`${what}: ${describeFailure(err, needs)}`);
  }
}

export async function collectDataPlane(o: DataPlaneOptions): Promise<DataPlaneResult> {
  const common = {
    ...o.clientOptions,
    serviceVersion: o.serviceVersion as never,
    disableChallengeResourceVerification: o.disableChallengeResourceVerification,
  };
  const secrets = new SecretClient(o.vaultUrl, o.credential, common);
  const keys = new KeyClient(o.vaultUrl, o.credential, common);
  const certs = new CertificateClient(o.vaultUrl, o.credential, common);
  const none = <T>(): ObjectList<T> => ({ items: [], problems: [] });

  const secretList = o.keysOnly
    ? none<CollectedSecret>()
    : collectList(
        'secrets',
        () => secrets.listPropertiesOfSecrets(),
        NEEDS.secretsList,
        async (p: SecretProperties) => ({
          properties: p,
          versions: await step('versions', NEEDS.secretsList, () => drain(secrets.listPropertiesOfSecretVersions(p.name))),
        }),
        (p) => p.name,
        o.fanOut,
        o.onObjectDone,
        o.onListed,
      ).then((l) => ({ ...l, items: l.items.filter((s) => !s.properties.managed) }));

  const keyList = collectList(
    'keys',
    () => keys.listPropertiesOfKeys(),
    NEEDS.keysList,
    async (p: KeyProperties) => {
      const [latest, versions, rotationPolicy] = await Promise.all([
        step('key', NEEDS.keysGet, () => keys.getKey(p.name)),
        step('versions', NEEDS.keysList, () => drain(keys.listPropertiesOfKeyVersions(p.name))),
        optional('rotation policy', NEEDS.keysRotationPolicy, () => keys.getKeyRotationPolicy(p.name)),
      ]);
      return { properties: p, latest, versions, rotationPolicy };
    },
    (p) => p.name,
    o.fanOut,
    o.onObjectDone,
    o.onListed,
  ).then((l) => ({ ...l, items: l.items.filter((k) => !k.properties.managed) }));

  const certList = o.keysOnly
    ? none<CollectedCertificate>()
    : collectList(
        'certificates',
        () => certs.listPropertiesOfCertificates(),
        NEEDS.certificatesList,
        async (p: CertificateProperties) => {
          const name = p.name ?? '';
          const [versions, policy] = await Promise.all([
            step('versions', NEEDS.certificatesList, () => drain(certs.listPropertiesOfCertificateVersions(name))),
            optional('policy', NEEDS.certificatesPolicy, () => certs.getCertificatePolicy(name)),
          ]);
          return { properties: p, versions, policy };
        },
        (p) => p.name ?? '?',
        o.fanOut,
        o.onObjectDone,
        o.onListed,
      );

  const listOnly = async <T>(label: string, needs: string, list: () => AsyncIterable<T>): Promise<ObjectList<T>> => {
    try {
      return { items: await drain(list()), problems: [] };
    } catch (err) {
      return { items: [], problems: [`${label}: ${describeFailure(err, needs)}`] };
    }
  };
  const deleted = o.includeDeleted
    ? Promise.all([
        o.keysOnly ? none<DeletedSecret>() : listOnly('deleted secrets', NEEDS.secretsList, () => secrets.listDeletedSecrets()),
        listOnly('deleted keys', NEEDS.keysList, () => keys.listDeletedKeys()),
        o.keysOnly ? none<DeletedCertificate>() : listOnly('deleted certificates', NEEDS.certificatesList, () => certs.listDeletedCertificates()),
      ]).then(([s, k, c]) => ({ secrets: s, keys: k, certificates: c }))
    : Promise.resolve(null);

  const [s, k, c, d] = await Promise.all([secretList, keyList, certList, deleted]);
  return { secrets: s, keys: k, certificates: c, deleted: d };
}
