/**
 * Azure App Service / Functions Key Vault references in app settings: `@Microsoft.KeyVault(SecretUri=…)`
 * or `@Microsoft.KeyVault(VaultName=…;SecretName=…;SecretVersion=…)`, found in any string of a JSON
 * file (`az webapp config appsettings list` output, the portal's advanced edit, an ARM template's
 * `siteConfig.appSettings` or `Microsoft.Web/sites/config` resource). An ARM expression building the
 * reference counts as pinned when it uses `secretUriWithVersion`. Only the reference is read; no other
 * setting's value is kept.
 *
 * App Service has no refresh setting: an unversioned reference is re-fetched every 24 hours (or on a
 * restart or configuration change). A reference pinned to a version cannot go stale: a new version
 * reaches the app when the rotation pipeline updates the setting. A reference names one vault, and
 * there is no fallback: an unresolved reference leaves the reference text as the setting's value.
 */
import type { Provider } from '../../../snapshot/types.js';
import { isRecord, refresh, unique, type KindReader } from '../facts.js';

interface Reference {
  vault: string | null;
  pinned: boolean | null;
}

export interface AppServiceFacts {
  file: string;
  references: Reference[];
}

const MARK = '@Microsoft.KeyVault(';
const REFRESH_SECONDS = 86400;

function parseReference(text: string): Reference {
  if (text.trim().startsWith('[')) {
    // An ARM template expression: the secret URI comes from a reference() at deployment time.
    if (/secretUriWithVersion/i.test(text)) return { vault: null, pinned: true };
    if (/secretUri/i.test(text)) return { vault: null, pinned: false };
    return { vault: null, pinned: null };
  }
  const body = text.slice(text.indexOf(MARK) + MARK.length).replace(/\)\s*$/, '');
  const uri = /SecretUri\s*=\s*([^;)\s]+)/i.exec(body)?.[1];
  if (uri) {
    const m = /^https:\/\/([^/]+)\/secrets\/([^/]+)(?:\/([^/]*))?\/?$/i.exec(uri);
    if (!m) return { vault: null, pinned: null };
    return { vault: (m[1] as string).toLowerCase(), pinned: Boolean(m[3]) };
  }
  const vault = /VaultName\s*=\s*([^;)\s]+)/i.exec(body)?.[1];
  const version = /SecretVersion\s*=\s*([^;)\s]*)/i.exec(body)?.[1];
  if (!vault || !/SecretName\s*=/i.test(body)) return { vault: null, pinned: null };
  return { vault: `${vault.toLowerCase()}.vault.azure.net`, pinned: Boolean(version) };
}

function collect(value: unknown, into: Reference[]): void {
  if (typeof value === 'string') {
    if (value.includes(MARK)) into.push(parseReference(value));
  } else if (Array.isArray(value)) for (const v of value) collect(v, into);
  else if (isRecord(value)) for (const v of Object.values(value)) collect(v, into);
}

export const appServiceReader: KindReader<AppServiceFacts> = {
  kind: 'azure-app-service',
  read(file) {
    if (file.format !== 'json') return null;
    const references: Reference[] = [];
    for (const d of file.documents) collect(d, references);
    return references.length > 0 ? { file: file.name, references } : null;
  },
  judge(facts) {
    const refs = facts.flatMap((f) => f.references);
    const pinned = refs.filter((r) => r.pinned === true).length;
    const unknown = refs.filter((r) => r.pinned === null).length;
    const setting = 'SecretUri version / SecretVersion';
    const base = {
      provider: 'azure-keyvault' as Provider,
      vaults: unique(refs.flatMap((r) => (r.vault ? [r.vault] : []))),
      references: { total: refs.length, pinned },
      fallback: { supported: false, detail: 'a Key Vault reference names one vault and App Service has no fallback: an unresolved reference leaves the reference text as the setting value' },
    };
    if (unknown > 0) return { ...base, refresh: refresh(null, 'unknown', setting, `${unknown} of ${refs.length} Key Vault reference(s) could not be read (expected SecretUri=https://<vault>/secrets/<name>[/<version>] or VaultName=…;SecretName=…[;SecretVersion=…])`) };
    if (pinned === refs.length) {
      return { ...base, refresh: refresh(0, 'pinned', setting, `all ${refs.length} Key Vault reference(s) pin a secret version: a new version reaches the app only when the rotation pipeline updates the setting (the pipeline is not judged here)`) };
    }
    return {
      ...base,
      refresh: refresh(REFRESH_SECONDS, 'default', setting, `${refs.length - pinned} of ${refs.length} Key Vault reference(s) are not pinned to a version: App Service has no refresh setting and re-fetches them every 24 hours (documented); pin each to a version and let the rotation pipeline update it`),
    };
  },
};
