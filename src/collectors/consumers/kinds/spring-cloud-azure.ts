/**
 * Spring Cloud Azure Key Vault property source (application.yml / application.properties, Spring
 * Cloud Azure 4.x and 5.x). Keys read, with Spring's relaxed binding (case, `-` and `_` ignored):
 *
 * - `spring.cloud.azure.keyvault.secret.property-source-enabled` (default true);
 * - `spring.cloud.azure.keyvault.secret.property-sources[n].endpoint`, `.name`, `.enabled`
 *   (default true) and `.refresh-interval` (a Spring Duration; documented default 30m; 0 turns the
 *   refresh off).
 *
 * Property sources are consulted in order, so a fallback is a second property source naming the
 * secondary vault. The consumer's refresh is its slowest enabled property source's.
 */
import { describeSeconds, springDurationSeconds } from '../duration.js';
import { isRecord, refresh, str, unique, worst, type Judged, type KindReader, type ParsedFile } from '../facts.js';
import { parseProperties } from '../formats.js';

interface PropertySource {
  index: string;
  endpoint: string | undefined;
  enabled: boolean;
  interval: unknown;
}

export interface SpringFacts {
  file: string;
  enabled: boolean;
  sources: PropertySource[];
}

const PREFIX = 'springcloudazurekeyvaultsecret';
const DEFAULT_REFRESH = 1800;

/** Relaxed-binding form of a key: lower case, no `-`/`_`, dots kept, indexes as `[n]`. */
function relaxed(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '').replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}

/** YAML documents flattened to dotted keys (lists as [n]); only scalar leaves under the prefix kept. */
function flatten(value: unknown, at: string, out: Map<string, unknown>): void {
  if (Array.isArray(value)) value.forEach((v, i) => flatten(v, `${at}[${i}]`, out));
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) flatten(v, at === '' ? k : `${at}.${k}`, out);
  else {
    const key = relaxed(at);
    if (key.replace(/\./g, '').startsWith(PREFIX)) out.set(key, value);
  }
}

function entries(file: ParsedFile): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (file.format === 'properties') {
    for (const [k, v] of parseProperties(file.text ?? '', (key) => relaxed(key).replace(/\./g, '').startsWith(PREFIX))) out.set(relaxed(k), v.value);
  } else for (const d of file.documents) flatten(d, '', out);
  return out;
}

function bool(v: unknown, dflt: boolean): boolean {
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  return dflt;
}

export const springReader: KindReader<SpringFacts> = {
  kind: 'spring-cloud-azure-keyvault',
  read(file) {
    if (file.format !== 'yaml' && file.format !== 'properties') return null;
    const map = entries(file);
    if (map.size === 0) return null;
    const base = 'spring.cloud.azure.keyvault.secret.';
    const indexes = unique([...map.keys()].flatMap((k) => /^spring\.cloud\.azure\.keyvault\.secret\.propertysources\[(\d+)\]\./.exec(k)?.[1] ?? []));
    const sources = indexes
      .sort((a, b) => Number(a) - Number(b))
      .map((i) => {
        const at = `${base}propertysources[${i}].`;
        return { index: i, endpoint: str(map.get(`${at}endpoint`)), enabled: bool(map.get(`${at}enabled`), true), interval: map.get(`${at}refreshinterval`) };
      });
    return { file: file.name, enabled: bool(map.get(`${base}propertysourceenabled`), true), sources };
  },
  judge(facts) {
    const sources = facts.filter((f) => f.enabled).flatMap((f) => f.sources.filter((s) => s.enabled).map((s) => ({ s, file: f.file })));
    const judged: Judged['refresh'][] = sources.map(({ s, file }) => {
      const setting = `spring.cloud.azure.keyvault.secret.property-sources[${s.index}].refresh-interval`;
      if (s.interval === undefined) return refresh(DEFAULT_REFRESH, 'default', setting, `${file}: property source ${s.index} sets no refresh-interval: Spring Cloud Azure's documented default is 30m`);
      const seconds = springDurationSeconds(s.interval);
      if (seconds === null) return refresh(null, 'unknown', setting, `${file}: property source ${s.index} refresh-interval is not a Spring duration (expected e.g. 5m, PT5M or 300s)`);
      if (seconds === 0) return refresh(null, 'never', setting, `${file}: property source ${s.index} has refresh-interval 0: its secrets are read once at startup`);
      return refresh(seconds, 'configured', setting, `${file}: property source ${s.index} refreshed every ${describeSeconds(seconds)}`);
    });
    return {
      provider: 'azure-keyvault',
      vaults: unique(sources.flatMap(({ s }) => (s.endpoint ? [s.endpoint.toLowerCase().replace(/\/+$/, '')] : []))),
      refresh:
        judged.length === 0
          ? refresh(null, 'unknown', 'spring.cloud.azure.keyvault.secret.property-sources', 'no enabled Key Vault property source (property-source-enabled false, or no property-sources[n] with an endpoint)')
          : worst(judged),
      fallback: { supported: true, detail: 'property sources are consulted in order: a fallback is a second property source naming the secondary vault' },
    };
  },
};
