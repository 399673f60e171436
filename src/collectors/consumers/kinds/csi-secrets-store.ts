/**
 * Kubernetes Secrets Store CSI driver (multi-document YAML). What is read:
 *
 * - `SecretProviderClass` (secrets-store.csi.x-k8s.io): `spec.provider` (`azure`: the vault is
 *   `parameters.keyvaultName`; `vault`: `parameters.vaultAddress`) and how many objects it mounts.
 * - The driver's rotation settings, from its Helm values (`enableSecretRotation`,
 *   `rotationPollInterval`, at the top level or under `secrets-store-csi-driver:` as the Azure and
 *   Vault provider charts nest them), from the driver DaemonSet's container args
 *   (`--enable-secret-rotation`, `--rotation-poll-interval`), or, for the AKS add-on, from the
 *   cluster's JSON (ARM template or `az aks show`): `addonProfiles.azureKeyvaultSecretsProvider`
 *   (`enabled`, `config.enableSecretRotation`, `config.rotationPollInterval`).
 *
 * Rotation is off unless enabled (the chart's and the driver's default): mounted secrets then stay
 * as they were at pod start. When on, the driver re-reads every `rotationPollInterval` (documented
 * default 2m). A SecretProviderClass names one vault and the driver has no fallback.
 */
import type { Provider } from '../../../snapshot/types.js';
import { describeSeconds, goDurationSeconds } from '../duration.js';
import { isRecord, refresh, str, unique, type Judged, type KindReader } from '../facts.js';

interface ProviderClass {
  name: string;
  provider: Provider | null;
  providerName: string;
  vault: string | null;
  objects: number;
}

interface DriverSettings {
  source: string;
  enabled: boolean | undefined;
  interval: unknown;
}

export interface CsiFacts {
  file: string;
  classes: ProviderClass[];
  driver: DriverSettings[];
}

const DEFAULT_POLL = 120;

function providerClass(doc: Record<string, unknown>): ProviderClass {
  const spec = isRecord(doc.spec) ? doc.spec : {};
  const params = isRecord(spec.parameters) ? spec.parameters : {};
  const name = str(isRecord(doc.metadata) ? doc.metadata.name : undefined) ?? '(unnamed)';
  const providerName = str(spec.provider) ?? '';
  const objects = typeof params.objects === 'string' ? (params.objects.match(/objectName\s*:/g) ?? []).length : 0;
  if (providerName === 'azure') return { name, provider: 'azure-keyvault', providerName, vault: str(params.keyvaultName) ?? null, objects };
  if (providerName === 'vault') return { name, provider: 'hashicorp-vault', providerName, vault: str(params.vaultAddress) ?? null, objects };
  return { name, provider: null, providerName, vault: null, objects };
}

function boolOf(v: unknown): boolean | undefined {
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  return undefined;
}

function helmValues(doc: Record<string, unknown>): DriverSettings | null {
  for (const [where, values] of [['helm values', doc], ['helm values (secrets-store-csi-driver:)', doc['secrets-store-csi-driver']]] as const) {
    if (!isRecord(values)) continue;
    if ('enableSecretRotation' in values || 'rotationPollInterval' in values) {
      return { source: where, enabled: boolOf(values.enableSecretRotation), interval: values.rotationPollInterval === '' ? undefined : values.rotationPollInterval };
    }
  }
  return null;
}

function daemonSetArgs(doc: Record<string, unknown>): DriverSettings | null {
  const spec = isRecord(doc.spec) && isRecord(doc.spec.template) && isRecord(doc.spec.template.spec) ? doc.spec.template.spec : null;
  if (!spec || !Array.isArray(spec.containers)) return null;
  for (const c of spec.containers) {
    if (!isRecord(c)) continue;
    const args = [...(Array.isArray(c.args) ? c.args : []), ...(Array.isArray(c.command) ? c.command : [])].filter((a): a is string => typeof a === 'string');
    const image = str(c.image) ?? '';
    if (!/secrets-store/.test(image) && !args.some((a) => a.startsWith('--rotation-poll-interval') || a.startsWith('--enable-secret-rotation'))) continue;
    let enabled: boolean | undefined;
    let interval: unknown;
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as string;
      const [flag, value] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
      if (flag === '--enable-secret-rotation') enabled = value === undefined ? true : boolOf(value);
      if (flag === '--rotation-poll-interval') interval = value ?? args[++i];
    }
    return { source: `DaemonSet ${str(isRecord(doc.metadata) ? doc.metadata.name : undefined) ?? ''} args`.replace('  ', ' '), enabled, interval };
  }
  return null;
}

/** The AKS add-on profile (`addonProfiles.azureKeyvaultSecretsProvider`) anywhere in a JSON document. */
function aksAddon(value: unknown, out: DriverSettings[], depth = 0): void {
  if (depth > 32) return;
  if (Array.isArray(value)) for (const v of value) aksAddon(v, out, depth + 1);
  else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k.toLowerCase() === 'azurekeyvaultsecretsprovider' && isRecord(v) && boolOf(v.enabled) !== false) {
        const config = isRecord(v.config) ? v.config : {};
        out.push({ source: 'AKS add-on azureKeyvaultSecretsProvider', enabled: boolOf(config.enableSecretRotation), interval: config.rotationPollInterval === '' ? undefined : config.rotationPollInterval });
      } else aksAddon(v, out, depth + 1);
    }
  }
}

function judgeRotation(facts: CsiFacts[]): Judged['refresh'] {
  const setting = 'rotationPollInterval';
  const driver = facts.flatMap((f) => f.driver.map((d) => ({ ...d, file: f.file })));
  if (driver.length === 0) {
    return refresh(null, 'unknown', setting, "the driver's rotation settings (Helm values enableSecretRotation/rotationPollInterval, or the driver DaemonSet's --enable-secret-rotation/--rotation-poll-interval) are not among the consumer's files");
  }
  const judged = driver.map((d) => {
    if (d.enabled !== true) return refresh(null, 'never', 'enableSecretRotation', `${d.file} (${d.source}): secret rotation is ${d.enabled === false ? 'off' : 'not enabled (off by default)'}: mounted secrets stay as they were when the pod started`);
    if (d.interval === undefined) return refresh(DEFAULT_POLL, 'default', setting, `${d.file} (${d.source}): rotation on, rotationPollInterval not set: the driver's documented default is 2m`);
    const s = goDurationSeconds(d.interval);
    if (s === null) return refresh(null, 'unknown', setting, `${d.file} (${d.source}): rotationPollInterval is not a Go duration (expected e.g. 2m)`);
    return refresh(s, 'configured', setting, `${d.file} (${d.source}): rotation on, polled every ${describeSeconds(s)}`);
  });
  return judged.find((r) => r.basis === 'unknown') ?? judged.find((r) => r.basis === 'never') ?? judged.reduce((a, b) => ((b.seconds ?? 0) > (a.seconds ?? 0) ? b : a));
}

export const csiReader: KindReader<CsiFacts> = {
  kind: 'csi-secrets-store',
  read(file) {
    const out: CsiFacts = { file: file.name, classes: [], driver: [] };
    if (file.format === 'json') {
      for (const doc of file.documents) aksAddon(doc, out.driver);
      return out.driver.length > 0 ? out : null;
    }
    if (file.format !== 'yaml') return null;
    for (const doc of file.documents) {
      if (!isRecord(doc)) continue;
      if (doc.kind === 'SecretProviderClass' && String(doc.apiVersion ?? '').startsWith('secrets-store.csi.x-k8s.io')) out.classes.push(providerClass(doc));
      else if (doc.kind === 'DaemonSet') {
        const d = daemonSetArgs(doc);
        if (d) out.driver.push(d);
      } else if (doc.kind === undefined) {
        const d = helmValues(doc);
        if (d) out.driver.push(d);
      }
    }
    return out.classes.length > 0 || out.driver.length > 0 ? out : null;
  },
  judge(facts) {
    const classes = facts.flatMap((f) => f.classes);
    const providers = unique(classes.flatMap((c) => (c.provider ? [c.provider] : [])));
    const refreshed = judgeRotation(facts);
    const unsupported = classes.filter((c) => c.provider === null);
    return {
      provider: providers.length === 1 ? (providers[0] as Provider) : null,
      vaults: unique(classes.flatMap((c) => (c.vault ? [c.vault] : []))),
      refresh:
        classes.length === 0
          ? refresh(null, 'unknown', refreshed.setting, `no SecretProviderClass among the consumer's files: what it mounts is unknown (${refreshed.detail})`)
          : unsupported.length > 0
            ? refresh(null, 'unknown', refreshed.setting, `SecretProviderClass ${unsupported[0]?.name} uses provider '${unsupported[0]?.providerName}': vaultproof reads the azure and vault providers`)
            : refreshed,
      fallback: { supported: false, detail: 'a SecretProviderClass names one vault (keyvaultName / vaultAddress) and the CSI driver has no fallback: the mount fails while that vault is unreachable' },
    };
  },
};
