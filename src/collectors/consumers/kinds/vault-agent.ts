/**
 * Vault Agent and Vault Proxy (HCL). What is read, per file:
 *
 * - `vault { address }`: the cluster the agent talks to (one per configuration; a fallback is a
 *   second configuration in the same consumer entry naming the secondary cluster).
 * - Agent: `template { }` and `env_template { }` (process supervisor mode) stanzas, and
 *   `template_config { static_secret_render_interval, lease_renewal_threshold }`. Static (KV) secrets
 *   are re-read every `static_secret_render_interval` (documented default 5m); leased secrets are
 *   renewed or re-fetched at `lease_renewal_threshold` of their TTL (default 0.9). Agent's `cache { }`
 *   (`use_auto_auth_token`, `persist`) holds tokens and leased secrets only, never static secrets;
 *   a persisted cache is reported in the detail.
 * - Proxy: `cache { cache_static_secrets, static_secret_token_capability_refresh_interval }`. With
 *   static secret caching on, cached KV secrets are refreshed on Vault's KV events (Enterprise) and a
 *   token's access to them is re-checked every `static_secret_token_capability_refresh_interval`
 *   (documented default 5m): that interval bounds how long a cached secret is served unchecked.
 *   Without it, Proxy forwards static secret reads to Vault.
 * - Which of the two: `api_proxy { }` or `cache { cache_static_secrets }` make it Proxy; `template`,
 *   `template_config`, `env_template` or `exec` make it Agent; `vault`/`auto_auth` alone: Agent.
 */
import { describeSeconds, goDurationSeconds } from '../duration.js';
import { blocks, isRecord, refresh, str, unique, type Judged, type KindReader, type ParsedFile } from '../facts.js';

export interface HashicorpAgentFacts {
  file: string;
  proxy: boolean;
  agent: boolean;
  addresses: string[];
  templates: number;
  renderInterval: unknown;
  leaseRenewalThreshold: unknown;
  cache: boolean;
  /** `cache { persist "<type>" { } }`: the cache is restored after a restart. */
  persist: string | undefined;
  staticCache: boolean;
  capabilityRefresh: unknown;
}

const DEFAULT_INTERVAL = 300;

function readHcl(file: ParsedFile): HashicorpAgentFacts | null {
  if (file.format !== 'hcl') return null;
  const doc = file.documents[0];
  if (!isRecord(doc)) return null;
  const keys = Object.keys(doc);
  if (!keys.some((k) => ['vault', 'auto_auth', 'template', 'template_config', 'env_template', 'exec', 'cache', 'api_proxy', 'listener'].includes(k))) return null;
  const cache = blocks(doc, 'cache');
  const templateConfig = blocks(doc, 'template_config');
  const staticCache = cache.some((c) => c.cache_static_secrets === true || c.cache_static_secrets === 'true');
  return {
    file: file.name,
    proxy: 'api_proxy' in doc || staticCache,
    agent: ['template', 'template_config', 'env_template', 'exec'].some((k) => k in doc),
    addresses: unique(blocks(doc, 'vault').flatMap((v) => (str(v.address) ? [str(v.address) as string] : []))),
    templates: blocks(doc, 'template').length + blocks(doc, 'env_template').length,
    renderInterval: templateConfig.find((t) => t.static_secret_render_interval !== undefined)?.static_secret_render_interval,
    leaseRenewalThreshold: templateConfig.find((t) => t.lease_renewal_threshold !== undefined)?.lease_renewal_threshold,
    cache: cache.length > 0,
    persist: cache.flatMap((c) => (isRecord(c.persist) ? Object.keys(c.persist) : []))[0],
    staticCache,
    capabilityRefresh: cache.find((c) => c.static_secret_token_capability_refresh_interval !== undefined)?.static_secret_token_capability_refresh_interval,
  };
}

const FALLBACK = {
  supported: true,
  detail: 'Vault Agent and Vault Proxy take one `vault.address` per configuration; a fallback is a second configuration in this consumer entry naming the secondary cluster',
};

function judgeAgentFile(f: HashicorpAgentFacts): Judged['refresh'] {
  const persisted = f.persist !== undefined ? `; cache persisted (${f.persist}): tokens and leases are restored after a restart` : '';
  const lease = `${f.leaseRenewalThreshold !== undefined ? `; leased secrets are renewed at lease_renewal_threshold ${String(f.leaseRenewalThreshold)} of their TTL` : ''}${persisted}`;
  if (f.templates === 0) {
    return refresh(0, 'no-cache', 'template_config.static_secret_render_interval', `${f.file}: no template or env_template stanza renders secrets${f.cache ? '; cache {} holds tokens and leased secrets only, never static secrets' : ''}`);
  }
  if (f.renderInterval === undefined) {
    return refresh(DEFAULT_INTERVAL, 'default', 'template_config.static_secret_render_interval', `${f.file}: ${f.templates} template(s); static_secret_render_interval not set, Vault Agent's documented default is 5m${lease}`);
  }
  const s = goDurationSeconds(f.renderInterval, true);
  if (s === null) return refresh(null, 'unknown', 'template_config.static_secret_render_interval', `${f.file}: static_secret_render_interval is not a duration Vault reads (expected e.g. 5m or 300)`);
  return refresh(s, 'configured', 'template_config.static_secret_render_interval', `${f.file}: ${f.templates} template(s) re-rendered every ${describeSeconds(s)}${lease}`);
}

function judgeProxyFile(f: HashicorpAgentFacts): Judged['refresh'] {
  const setting = 'cache.static_secret_token_capability_refresh_interval';
  if (!f.staticCache) return refresh(0, 'no-cache', setting, `${f.file}: cache_static_secrets is off: static secret reads are forwarded to Vault${f.cache ? '; cache {} holds tokens and leased secrets only' : ''}`);
  if (f.capabilityRefresh === undefined) {
    return refresh(DEFAULT_INTERVAL, 'default', setting, `${f.file}: static secrets cached and refreshed on KV events; static_secret_token_capability_refresh_interval not set, Vault Proxy's documented default is 5m`);
  }
  const s = goDurationSeconds(f.capabilityRefresh, true);
  if (s === null) return refresh(null, 'unknown', setting, `${f.file}: static_secret_token_capability_refresh_interval is not a duration Vault reads (expected e.g. 5m or 300)`);
  return refresh(s, 'configured', setting, `${f.file}: static secrets cached and refreshed on KV events; access re-checked every ${describeSeconds(s)}`);
}

function judge(facts: HashicorpAgentFacts[], proxy: boolean): Judged {
  const all = facts.map((f) => (proxy ? judgeProxyFile(f) : judgeAgentFile(f)));
  const unknown = all.find((r) => r.basis === 'unknown');
  const slowest = unknown ?? all.reduce((a, b) => ((b.seconds ?? 0) > (a.seconds ?? 0) ? b : a));
  return { provider: 'hashicorp-vault', vaults: unique(facts.flatMap((f) => f.addresses)), refresh: slowest, fallback: FALLBACK };
}

export const vaultAgentReader: KindReader<HashicorpAgentFacts> = {
  kind: 'vault-agent',
  read: (file, configured) => {
    const f = readHcl(file);
    return f && (configured || !f.proxy || f.agent) ? f : null;
  },
  judge: (facts) => judge(facts, false),
};

export const vaultProxyReader: KindReader<HashicorpAgentFacts> = {
  kind: 'vault-proxy',
  read: (file, configured) => {
    const f = readHcl(file);
    return f && (configured || (f.proxy && !f.agent)) ? f : null;
  },
  judge: (facts) => judge(facts, true),
};
