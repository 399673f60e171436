/**
 * HTTPS collectors:
 * - Splunk HTTP Event Collector: `Authorization: Splunk TOKEN`, a body of concatenated
 *   `{"time","source","sourcetype","index"?,"event"}` objects, success is `{"code":0}`.
 * - Azure Monitor Logs Ingestion API: `Authorization: Bearer TOKEN` (audience https://monitor.azure.com),
 *   a JSON array of records (each an OCSF event plus `TimeGenerated`, or `{TimeGenerated, RawData}`
 *   for CEF) posted to a data collection rule's stream; success is 204.
 * The token is read from the environment variable the spec names when the sink opens and is kept
 * only in memory; it never appears in an error, a log line or the spool.
 */
import { readFileSync } from 'node:fs';
import type { SiemEvent } from '../events.js';
import type { HttpSink } from '../spec.js';
import { postJson } from './https-post.js';
import { PermanentSinkError, type Sink } from './types.js';

type Env = Record<string, string | undefined>;

function readCa(spec: HttpSink): Buffer | undefined {
  if (!spec.caFile) return undefined;
  try {
    return readFileSync(spec.caFile);
  } catch (err) {
    throw new PermanentSinkError(`cannot read the CA file ${spec.caFile}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

function tokenFromEnv(spec: HttpSink, env: Env): string {
  const name = spec.tokenEnv!;
  const v = env[name];
  if (!v) throw new PermanentSinkError(`${spec.kind}: the environment variable ${name} (token_env) is not set or empty`);
  return v;
}

export function hecBody(chunk: SiemEvent[], spec: HttpSink): string {
  return chunk
    .map((e) => {
      const meta: Record<string, unknown> = {
        time: e.time / 1000,
        source: spec.source ?? 'vaultproof',
        sourcetype: spec.sourcetype ?? (e.format === 'ocsf' ? (e.kind === 'finding' ? 'ocsf:compliance_finding' : 'ocsf:scan_activity') : 'cef'),
        ...(spec.index ? { index: spec.index } : {}),
      };
      const head = JSON.stringify(meta);
      // The OCSF body is already JSON: splice it in rather than re-serialising.
      const event = e.format === 'ocsf' ? e.body : JSON.stringify(e.body);
      return `${head.slice(0, -1)},"event":${event}}`;
    })
    .join('\n');
}

export function azureLogsBody(chunk: SiemEvent[]): string {
  const records = chunk.map((e) => {
    const tg = JSON.stringify(new Date(e.time).toISOString());
    if (e.format === 'ocsf') return `{"TimeGenerated":${tg},${e.body.slice(1)}`;
    return `{"TimeGenerated":${tg},"EventUid":${JSON.stringify(e.uid)},"RawData":${JSON.stringify(e.body)}}`;
  });
  return `[${records.join(',')}]`;
}

export function openHecSink(spec: HttpSink, env: Env): Sink {
  const token = tokenFromEnv(spec, env);
  const ca = readCa(spec);
  return {
    confirmed: true,
    async send(chunk, signal) {
      const res = await postJson({
        url: spec.url,
        headers: { authorization: `Splunk ${token}` },
        body: hecBody(chunk, spec),
        ca,
        timeoutMs: spec.timeoutMs,
        signal,
        secrets: [token],
        what: 'splunk-hec',
      });
      let code: unknown;
      try {
        code = (JSON.parse(res.body) as { code?: unknown }).code;
      } catch {
        code = undefined;
      }
      if (code !== 0) throw new PermanentSinkError(`splunk-hec: HTTP ${res.status} without a success code in the response`);
    },
    async close() {},
  };
}

export async function openAzureLogsSink(spec: HttpSink, env: Env): Promise<Sink> {
  const ca = readCa(spec);
  let getToken: () => Promise<string>;
  if (spec.tokenEnv) {
    const token = tokenFromEnv(spec, env);
    getToken = async () => token;
  } else {
    const { DefaultAzureCredential } = await import('@azure/identity');
    const credential = new DefaultAzureCredential();
    getToken = async () => {
      const t = await credential.getToken('https://monitor.azure.com/.default');
      if (!t) throw new PermanentSinkError('azure-logs: Azure identity returned no token for https://monitor.azure.com');
      return t.token;
    };
  }
  return {
    confirmed: true,
    async send(chunk, signal) {
      const token = await getToken();
      await postJson({
        url: spec.url,
        headers: { authorization: `Bearer ${token}` },
        body: azureLogsBody(chunk),
        ca,
        timeoutMs: spec.timeoutMs,
        signal,
        secrets: [token],
        what: 'azure-logs',
      });
    },
    async close() {},
  };
}
