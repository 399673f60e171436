/**
 * External Secrets Operator (multi-document YAML, external-secrets.io). What is read:
 *
 * - `ExternalSecret`: `spec.refreshInterval` (documented default 1h; `0` fetches once and never
 *   again), `spec.refreshPolicy` (`CreatedOnce` and `OnChange` never refresh on a schedule),
 *   `spec.secretStoreRef` (the store it reads).
 * - `ClusterExternalSecret`: the same under `spec.externalSecretSpec`.
 * - `SecretStore` / `ClusterSecretStore`: `spec.provider.vault.server` or
 *   `spec.provider.azurekv.vaultUrl`, the vault the store reads.
 *
 * The consumer's refresh is its slowest ExternalSecret's. An ExternalSecret reads one store and a
 * store names one vault: the operator has no fallback store.
 */
import type { Provider } from '../../../snapshot/types.js';
import { describeSeconds, goDurationSeconds } from '../duration.js';
import { isRecord, refresh, str, unique, worst, type Judged, type KindReader } from '../facts.js';

interface Sync {
  what: string;
  interval: unknown;
  policy: string | undefined;
  store: string | undefined;
}

interface Store {
  name: string;
  provider: Provider | null;
  vault: string | null;
}

export interface EsoFacts {
  file: string;
  syncs: Sync[];
  stores: Store[];
}

const DEFAULT_REFRESH = 3600;

function nameOf(doc: Record<string, unknown>): string {
  return str(isRecord(doc.metadata) ? doc.metadata.name : undefined) ?? '(unnamed)';
}

function sync(what: string, spec: Record<string, unknown>): Sync {
  const ref = isRecord(spec.secretStoreRef) ? spec.secretStoreRef : {};
  return { what, interval: spec.refreshInterval, policy: str(spec.refreshPolicy), store: str(ref.name) };
}

function store(doc: Record<string, unknown>): Store {
  const p = isRecord(doc.spec) && isRecord(doc.spec.provider) ? doc.spec.provider : {};
  if (isRecord(p.vault)) return { name: nameOf(doc), provider: 'hashicorp-vault', vault: str(p.vault.server) ?? null };
  if (isRecord(p.azurekv)) return { name: nameOf(doc), provider: 'azure-keyvault', vault: str(p.azurekv.vaultUrl) ?? null };
  return { name: nameOf(doc), provider: null, vault: null };
}

function judgeSync(s: Sync, file: string): Judged['refresh'] {
  const setting = 'spec.refreshInterval';
  if (s.policy === 'CreatedOnce' || s.policy === 'OnChange') return refresh(null, 'never', 'spec.refreshPolicy', `${file}: ${s.what} has refreshPolicy ${s.policy}: it is not refreshed on a schedule`);
  if (s.interval === undefined) return refresh(DEFAULT_REFRESH, 'default', setting, `${file}: ${s.what} sets no refreshInterval: the operator's documented default is 1h`);
  const seconds = goDurationSeconds(s.interval);
  if (seconds === null) return refresh(null, 'unknown', setting, `${file}: ${s.what} refreshInterval is not a Go duration (expected e.g. 5m)`);
  if (seconds === 0) return refresh(null, 'never', setting, `${file}: ${s.what} has refreshInterval 0: the secret is fetched once and never refreshed`);
  return refresh(seconds, 'configured', setting, `${file}: ${s.what} refreshed every ${describeSeconds(seconds)}`);
}

export const externalSecretsReader: KindReader<EsoFacts> = {
  kind: 'external-secrets',
  read(file) {
    if (file.format !== 'yaml') return null;
    const out: EsoFacts = { file: file.name, syncs: [], stores: [] };
    for (const doc of file.documents) {
      if (!isRecord(doc) || !String(doc.apiVersion ?? '').startsWith('external-secrets.io/')) continue;
      const spec = isRecord(doc.spec) ? doc.spec : {};
      if (doc.kind === 'ExternalSecret') out.syncs.push(sync(`ExternalSecret ${nameOf(doc)}`, spec));
      else if (doc.kind === 'ClusterExternalSecret') out.syncs.push(sync(`ClusterExternalSecret ${nameOf(doc)}`, isRecord(spec.externalSecretSpec) ? spec.externalSecretSpec : {}));
      else if (doc.kind === 'SecretStore' || doc.kind === 'ClusterSecretStore') out.stores.push(store(doc));
    }
    return out.syncs.length > 0 || out.stores.length > 0 ? out : null;
  },
  judge(facts) {
    const syncs = facts.flatMap((f) => f.syncs.map((s) => ({ s, file: f.file })));
    const stores = facts.flatMap((f) => f.stores);
    const used = stores.filter((st) => syncs.some(({ s }) => s.store === st.name));
    const providers = unique(used.flatMap((st) => (st.provider ? [st.provider] : [])));
    return {
      provider: providers.length === 1 ? (providers[0] as Provider) : null,
      vaults: unique(used.flatMap((st) => (st.vault ? [st.vault] : []))),
      refresh: syncs.length === 0 ? refresh(null, 'unknown', 'spec.refreshInterval', "no ExternalSecret or ClusterExternalSecret among the consumer's files") : worst(syncs.map(({ s, file }) => judgeSync(s, file))),
      fallback: { supported: false, detail: 'an ExternalSecret reads one SecretStore (secretStoreRef) and a store names one vault (vault.server / azurekv.vaultUrl): the operator has no fallback store' },
    };
  },
};
