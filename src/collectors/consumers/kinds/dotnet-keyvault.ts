/**
 * .NET `Azure.Extensions.AspNetCore.Configuration.Secrets` (`AddAzureKeyVault`), as commonly set up
 * from appsettings.json (comments allowed; keys case-insensitive, as .NET configuration reads them).
 * The provider is registered in code; these are the keys read:
 *
 * - a `KeyVault` or `AzureKeyVault` section with the vault as `VaultUri`, `Uri`, `Url`, `VaultUrl`,
 *   `Endpoint`, `VaultName` or `Name`, and `ReloadInterval` (a TimeSpan, `hh:mm:ss`, passed to
 *   `AzureKeyVaultConfigurationOptions.ReloadInterval`);
 * - top-level `KeyVaultName`, `KeyVaultUri`, `KeyVaultUrl` or `KeyVaultEndpoint` (the vault only).
 *
 * `ReloadInterval` defaults to null: secrets are loaded once at startup and never reloaded. Each
 * registration reads one vault and the provider has no fallback.
 */
import { describeSeconds, timeSpanSeconds } from '../duration.js';
import { isRecord, refresh, str, unique, worst, type KindReader } from '../facts.js';

export interface DotnetFacts {
  file: string;
  vaults: string[];
  /** Reload intervals as written, one per section that names a vault (undefined: not set). */
  reloads: Array<{ section: string; value: unknown }>;
}

const SECTIONS = ['keyvault', 'azurekeyvault'];
const VAULT_KEYS = ['vaulturi', 'uri', 'url', 'vaulturl', 'endpoint', 'vaultname', 'name'];
const TOP_KEYS = ['keyvaultname', 'keyvaulturi', 'keyvaulturl', 'keyvaultendpoint'];

function get(o: Record<string, unknown>, lower: string): [string, unknown] | undefined {
  const k = Object.keys(o).find((x) => x.toLowerCase() === lower);
  return k === undefined ? undefined : [k, o[k]];
}

export const dotnetReader: KindReader<DotnetFacts> = {
  kind: 'dotnet-keyvault',
  read(file) {
    if (file.format !== 'json') return null;
    const doc = file.documents[0];
    if (!isRecord(doc)) return null;
    const out: DotnetFacts = { file: file.name, vaults: [], reloads: [] };
    for (const name of SECTIONS) {
      const hit = get(doc, name);
      if (!hit || !isRecord(hit[1])) continue;
      const section = hit[1];
      const vault = VAULT_KEYS.map((k) => str(get(section, k)?.[1])).find((v) => v !== undefined);
      if (vault === undefined) continue;
      out.vaults.push(vault.toLowerCase());
      out.reloads.push({ section: hit[0], value: get(section, 'reloadinterval')?.[1] });
    }
    for (const k of TOP_KEYS) {
      const v = str(get(doc, k)?.[1]);
      if (v !== undefined && !out.vaults.includes(v.toLowerCase())) {
        out.vaults.push(v.toLowerCase());
        if (out.reloads.length === 0) out.reloads.push({ section: k, value: undefined });
      }
    }
    return out.vaults.length > 0 ? out : null;
  },
  judge(facts) {
    const judged = facts.flatMap((f) =>
      f.reloads.map((r) => {
        const setting = `${r.section}:ReloadInterval`;
        if (r.value === undefined || r.value === null) return refresh(null, 'never', setting, `${f.file}: no ReloadInterval: AzureKeyVaultConfigurationOptions.ReloadInterval defaults to null, so secrets are loaded once at startup and never reloaded`);
        const s = timeSpanSeconds(r.value);
        if (s === null) return refresh(null, 'unknown', setting, `${f.file}: ${setting} is not a TimeSpan (expected hh:mm:ss, e.g. 00:05:00)`);
        return refresh(s, 'configured', setting, `${f.file}: secrets reloaded every ${describeSeconds(s)}`);
      }),
    );
    return {
      provider: 'azure-keyvault',
      vaults: unique(facts.flatMap((f) => f.vaults)),
      refresh: worst(judged),
      fallback: { supported: false, detail: 'each AddAzureKeyVault registration reads one vault and the provider has no fallback to another' },
    };
  },
};
