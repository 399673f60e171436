/**
 * Sink specs, as given to `--siem-sink`:
 *
 *   file:PATH[?format=ocsf|cef]
 *   syslog+relp://HOST:PORT[?format=&facility=&app_name=&hostname=&batch=&timeout_ms=]
 *   syslog+relp://HOST:PORT?tls=1&ca=FILE[&cert=FILE&key=FILE&servername=NAME&...]   (RELP over TLS)
 *   syslog+tcp://HOST:PORT?unconfirmed=1[&format=&facility=&app_name=&hostname=&batch=&timeout_ms=]
 *   syslog+tls://HOST:PORT?unconfirmed=1&ca=FILE[&cert=FILE&key=FILE&servername=NAME&...]
 *   splunk-hec+https://HOST:PORT/services/collector[/event]?token_env=NAME[&ca=FILE&index=&source=&sourcetype=]
 *   azure-logs+https://DCE/dataCollectionRules/DCR_ID/streams/STREAM?token_env=NAME|auth=azure-identity[&ca=FILE&api-version=]
 *
 * Delivery counts only what the receiver confirms: RELP acknowledges each event (`rsp 200`), the
 * HTTP collectors answer 2xx, the file sink fsyncs. Plain syslog over TCP or TLS has no
 * acknowledgement, so vaultproof cannot know that an event arrived: such a sink must be asked for
 * with `unconfirmed=1`, and what it writes is reported "sent, unconfirmed", never delivered.
 *
 * Secrets never travel in the spec: tokens come from the environment variable that `token_env` names
 * (or from Azure identity), TLS material from files. A spec carrying a password or `token=` is refused.
 */
export type SinkKind = 'file' | 'syslog-relp' | 'syslog-tcp' | 'syslog-tls' | 'splunk-hec' | 'azure-logs';
export type SiemFormat = 'ocsf' | 'cef';

interface SinkCommon {
  kind: SinkKind;
  format: SiemFormat;
  /** Events per request/connection. */
  batchSize: number;
  /** Upper bound on the bytes of one request/connection (a chunk is split before it). */
  maxChunkBytes: number;
  /** Timeout of one request or connection, in ms. */
  timeoutMs: number;
  /** The spec as shown in logs and reports (no secret can be in it). */
  display: string;
  /** Stable identity of the destination (selects the spool directory). */
  identity: string;
}

export interface FileSink extends SinkCommon {
  kind: 'file';
  path: string;
}

export interface SyslogSink extends SinkCommon {
  /** syslog-relp: acknowledged event by event; syslog-tcp/-tls: unconfirmed (asked for with unconfirmed=1). */
  kind: 'syslog-relp' | 'syslog-tcp' | 'syslog-tls';
  host: string;
  port: number;
  facility: number;
  appName: string;
  hostname?: string;
  tls?: { caFile?: string; certFile?: string; keyFile?: string; servername?: string };
}

export interface HttpSink extends SinkCommon {
  kind: 'splunk-hec' | 'azure-logs';
  url: string;
  caFile?: string;
  tokenEnv?: string;
  /** azure-logs only: get the bearer token from @azure/identity's DefaultAzureCredential. */
  azureIdentity?: boolean;
  index?: string;
  source?: string;
  sourcetype?: string;
}

export type SinkSpec = FileSink | SyslogSink | HttpSink;

export class SinkSpecError extends Error {
  constructor(spec: string, what: string) {
    super(`--siem-sink ${safeDisplay(spec)}: ${what}`);
    this.name = 'SinkSpecError';
  }
}

const COMMON_PARAMS = ['format', 'batch', 'max_bytes', 'timeout_ms'];
const ALLOWED: Record<SinkKind, string[]> = {
  file: COMMON_PARAMS,
  'syslog-relp': [...COMMON_PARAMS, 'facility', 'app_name', 'hostname', 'tls', 'ca', 'cert', 'key', 'servername'],
  'syslog-tcp': [...COMMON_PARAMS, 'facility', 'app_name', 'hostname', 'unconfirmed'],
  'syslog-tls': [...COMMON_PARAMS, 'facility', 'app_name', 'hostname', 'ca', 'cert', 'key', 'servername', 'unconfirmed'],
  'splunk-hec': [...COMMON_PARAMS, 'ca', 'token_env', 'index', 'source', 'sourcetype'],
  'azure-logs': [...COMMON_PARAMS, 'ca', 'token_env', 'auth', 'api-version'],
};
const DEFAULT_BATCH: Record<SinkKind, number> = { file: 500, 'syslog-relp': 200, 'syslog-tcp': 200, 'syslog-tls': 200, 'splunk-hec': 100, 'azure-logs': 100 };
/** Azure Logs Ingestion takes at most 1 MB per call; HEC and syslog get the same prudent bound. */
const DEFAULT_MAX_BYTES = 900_000;

/** Strips anything after '?' and any user-info, for messages about a spec we could not parse. */
function safeDisplay(spec: string): string {
  return JSON.stringify(spec.replace(/\/\/[^/@]*@/, '//').replace(/\?.*$/, '?…'));
}

function intParam(spec: string, q: URLSearchParams, name: string, min: number, max: number, dflt: number): number {
  const v = q.get(name);
  if (v === null) return dflt;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new SinkSpecError(spec, `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return Number(v);
}

function common(spec: string, kind: SinkKind, q: URLSearchParams, display: string, identity: string): SinkCommon {
  for (const key of q.keys()) {
    if (/token$|password|secret|^key_value$/i.test(key) && key !== 'token_env') {
      throw new SinkSpecError(spec, `secrets are not accepted in the sink spec (parameter "${key}"); put the token in an environment variable and pass token_env=NAME`);
    }
    if (!ALLOWED[kind].includes(key)) throw new SinkSpecError(spec, `unknown parameter "${key}" for a ${kind} sink (expected one of ${ALLOWED[kind].join(', ')})`);
  }
  const format = q.get('format') ?? 'ocsf';
  if (format !== 'ocsf' && format !== 'cef') throw new SinkSpecError(spec, `format must be "ocsf" or "cef", got ${JSON.stringify(format)}`);
  return {
    kind,
    format,
    batchSize: intParam(spec, q, 'batch', 1, 10_000, DEFAULT_BATCH[kind]),
    maxChunkBytes: intParam(spec, q, 'max_bytes', 4_096, 50_000_000, DEFAULT_MAX_BYTES),
    timeoutMs: intParam(spec, q, 'timeout_ms', 100, 600_000, 15_000),
    display,
    identity: `${identity}#${format}`,
  };
}

export function parseSinkSpec(spec: string): SinkSpec {
  const s = spec.trim();
  if (s.startsWith('file:')) {
    const rest = s.slice('file:'.length);
    const qi = rest.indexOf('?');
    const path = qi >= 0 ? rest.slice(0, qi) : rest;
    const q = new URLSearchParams(qi >= 0 ? rest.slice(qi + 1) : '');
    if (!path) throw new SinkSpecError(spec, 'expected file:PATH (a file to append JSON/CEF lines to)');
    return { ...common(spec, 'file', q, s, `file:${path}`), kind: 'file', path };
  }
  const m = /^([a-z0-9-]+)\+([a-z]+):\/\//.exec(s);
  const kind = m ? kindOf(m[1]!, m[2]!) : undefined;
  if (!m || !kind) {
    throw new SinkSpecError(spec, 'expected one of file:PATH, syslog+relp://HOST:PORT, syslog+tcp://HOST:PORT?unconfirmed=1, syslog+tls://HOST:PORT?unconfirmed=1&ca=FILE, splunk-hec+https://HOST:PORT/services/collector?token_env=NAME, azure-logs+https://DCE/dataCollectionRules/ID/streams/NAME?token_env=NAME');
  }
  let url: URL;
  try {
    url = new URL(s.slice(m[1]!.length + 1));
  } catch {
    throw new SinkSpecError(spec, 'not a valid URL after the sink kind');
  }
  if (url.username || url.password) throw new SinkSpecError(spec, 'credentials are not accepted in the URL; use token_env=NAME');
  const q = url.searchParams;
  if (kind === 'syslog-relp' || kind === 'syslog-tcp' || kind === 'syslog-tls') {
    if (!url.port) throw new SinkSpecError(spec, `expected an explicit port, e.g. ${m[1]}+${m[2]}://127.0.0.1:${kind === 'syslog-relp' ? 2514 : 514}`);
    if (kind !== 'syslog-relp') {
      const u = q.get('unconfirmed');
      if (u === null) {
        throw new SinkSpecError(
          spec,
          `plain syslog over ${kind === 'syslog-tcp' ? 'TCP' : 'TLS'} has no acknowledgement, so delivery cannot be confirmed: use syslog+relp://HOST:PORT (RELP acknowledges every event), or add unconfirmed=1 to send anyway (reported "sent, unconfirmed", never as delivered)`,
        );
      }
      if (u !== '1' && u !== 'true') throw new SinkSpecError(spec, `unconfirmed must be 1 or true, got ${JSON.stringify(u)}`);
    }
    const display = `${m[1]}+${m[2]}://${url.host}${url.search}`;
    const c = common(spec, kind, q, display, `${kind}://${url.host}`);
    const facility = intParam(spec, q, 'facility', 0, 23, 13);
    const sink: SyslogSink = { ...c, kind, host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port), facility, appName: q.get('app_name') ?? 'vaultproof' };
    const hostname = q.get('hostname');
    if (hostname) sink.hostname = hostname;
    const relpTls = q.get('tls');
    if (kind === 'syslog-relp' && relpTls !== null && relpTls !== '1' && relpTls !== 'true') throw new SinkSpecError(spec, `tls must be 1 or true, got ${JSON.stringify(relpTls)}`);
    if (kind === 'syslog-relp' && relpTls === null && ['ca', 'cert', 'key', 'servername'].some((p) => q.has(p))) {
      throw new SinkSpecError(spec, 'ca, cert, key and servername are TLS settings: add tls=1 for RELP over TLS');
    }
    if (kind === 'syslog-tls' || relpTls !== null) {
      const tls: NonNullable<SyslogSink['tls']> = {};
      for (const [p, k] of [['ca', 'caFile'], ['cert', 'certFile'], ['key', 'keyFile'], ['servername', 'servername']] as const) {
        const v = q.get(p);
        if (v) tls[k] = v;
      }
      if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) throw new SinkSpecError(spec, 'cert and key go together (client certificate authentication)');
      sink.tls = tls;
    }
    return sink;
  }
  if (url.protocol !== 'https:') throw new SinkSpecError(spec, 'HTTP sinks must use https');
  const tokenEnv = q.get('token_env') ?? undefined;
  if (tokenEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(tokenEnv)) throw new SinkSpecError(spec, `token_env must be an environment variable name, got ${JSON.stringify(tokenEnv)}`);
  const target = new URL(url.toString());
  for (const p of ALLOWED[kind]) if (p !== 'api-version') target.searchParams.delete(p);
  if (kind === 'azure-logs') {
    const auth = q.get('auth');
    if (auth !== null && auth !== 'azure-identity') throw new SinkSpecError(spec, `auth must be "azure-identity", got ${JSON.stringify(auth)}`);
    if (!tokenEnv && !auth) throw new SinkSpecError(spec, 'expected token_env=NAME (a bearer token for https://monitor.azure.com) or auth=azure-identity');
    if (!/\/dataCollectionRules\/[^/]+\/streams\/[^/]+$/.test(url.pathname)) throw new SinkSpecError(spec, 'expected a path /dataCollectionRules/DCR_IMMUTABLE_ID/streams/STREAM_NAME');
    if (!target.searchParams.has('api-version')) target.searchParams.set('api-version', '2023-01-01');
  } else {
    if (!tokenEnv) throw new SinkSpecError(spec, 'expected token_env=NAME (the environment variable holding the HEC token)');
    if (!/^\/services\/collector(\/event|\/raw)?\/?$/.test(url.pathname)) throw new SinkSpecError(spec, 'expected the HEC path /services/collector or /services/collector/event');
    if (/\/raw\/?$/.test(url.pathname)) throw new SinkSpecError(spec, 'the raw endpoint is not supported; use /services/collector/event');
  }
  const c = common(spec, kind, q, `${m[1]}+${url.toString()}`, `${kind}://${url.host}${url.pathname}`);
  const sink: HttpSink = { ...c, kind: kind as HttpSink['kind'], url: target.toString() };
  const opt = (p: string) => q.get(p) ?? undefined;
  if (opt('ca')) sink.caFile = opt('ca');
  if (tokenEnv) sink.tokenEnv = tokenEnv;
  if (q.get('auth') === 'azure-identity') sink.azureIdentity = true;
  for (const p of ['index', 'source', 'sourcetype'] as const) if (opt(p)) sink[p] = opt(p);
  return sink;
}

function kindOf(scheme: string, transport: string): SinkKind | undefined {
  if (scheme === 'syslog' && transport === 'relp') return 'syslog-relp';
  if (scheme === 'syslog' && transport === 'tcp') return 'syslog-tcp';
  if (scheme === 'syslog' && transport === 'tls') return 'syslog-tls';
  if (scheme === 'splunk-hec' && transport === 'https') return 'splunk-hec';
  if (scheme === 'azure-logs' && transport === 'https') return 'azure-logs';
  return undefined;
}
