/**
 * The collector load test (issue #10, collector side): for each collector, the test server runs in a
 * child process (bench/collector-load-server.ts); in this process, at each concurrency,
 *   1. a warm-up collector run is recorded by the server (every request: method, URL, headers, body),
 *   2. then, alternately, a raw run (a minimal keep-alive node:http/https load generator replaying
 *      exactly the recorded requests with the same number in flight) and a collector run (the real
 *      collector at that concurrency), `repeats` times each,
 * and the share = median collector requests/s ÷ median raw requests/s.
 *
 * Requests/s on both sides count requests on the wire (what the server received, counted in the child
 * through the diagnostics channel) over the run's wall time; the collector's own request ledger is
 * cross-checked against the server's request log: Vault every request; Key Vault the requests with a
 * valid bearer token (the ledger records one entry per call, the SDK's 401 challenge round trip inside
 * it is counted by the server as an unauthorised request).
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { collectAzureKeyVault, parseAzureConfig, RequestLog } from '../src/collectors/azure-keyvault/index.js';
import { collectHashicorpVaultDetailed, parseHashicorpConfig } from '../src/collectors/hashicorp-vault/index.js';
import type { ChildAnswer, ChildRequest, RecordedRequest, ServerCounts, ServerInfo } from './collector-load-server.js';

export type CollectorKind = 'vault' | 'azure';

export interface LoadOptions {
  collectors: CollectorKind[];
  /** Total requests in flight; for Key Vault split evenly over the vaults (requests_per_vault = c / vaults). */
  concurrencies: number[];
  /** Raw and collector runs per concurrency, alternating (the median is reported). */
  repeats: number;
  /** Collector runs before the measured ones at each concurrency (JIT warm-up); the last one is recorded. */
  warmups: number;
  vault: { mounts: number; secrets: number; versions: number };
  /** keepAliveTimeoutMs: the Key Vault/ARM test servers' keep-alive timeout (theirs is 1000 ms, which stops Node clients reusing sockets). */
  azure: { vaults: number; objects: number; versions: number; keepAliveTimeoutMs: number };
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

export const DEFAULT_OPTIONS: LoadOptions = {
  collectors: ['vault', 'azure'],
  concurrencies: [4, 8, 16],
  repeats: 3,
  warmups: 2,
  vault: { mounts: 20, secrets: 500, versions: 3 },
  azure: { vaults: 4, objects: 2000, versions: 2, keepAliveTimeoutMs: 5000 },
};

export interface RawRun {
  /** Requests replayed (= requests the server received during the run). */
  requests: number;
  wallMs: number;
  rps: number;
  /** Replayed requests answered with another status than during the recording (expected 0). */
  statusMismatches: number;
  server: ServerCounts;
}

export interface CollectorRun {
  /** Requests the server received during the run (the wire count, incl. auth challenges and token calls). */
  requests: number;
  wallMs: number;
  rps: number;
  /** Entries of the collector's own request ledger/log that were sent. */
  ledger: number;
  /** What the ledger must equal on the server side (see countsAgree). */
  serverLogged: number;
  countsAgree: boolean;
  objects: number;
  /** Incomplete scopes (Key Vault: of the object lists; data-plane-only mode leaves the ARM parts unread by design). */
  incompleteScopes: number;
  /** Most requests the collector had in flight at once (its own limiter / request log). */
  peakInFlight: number;
  peakRssMiB: number;
  server: ServerCounts;
}

export interface LoadRow {
  collector: CollectorKind;
  concurrency: number;
  /** How the concurrency is applied, e.g. "4 vaults × 2". */
  layout: string;
  expectedObjects: number;
  /** Requests of the recorded warm-up run that the raw runs replay. */
  replayed: number;
  /** Requests/s of the first warm-up run at this concurrency (for the first concurrency: a cold process, as a one-shot `vaultproof collect` runs). */
  firstWarmupRps: number;
  raw: RawRun[];
  runs: CollectorRun[];
  rawRps: number;
  collectorRps: number;
  share: number;
  countsAgree: boolean;
}

export interface LoadReport {
  startedAt: string;
  machine: string;
  options: Omit<LoadOptions, 'log'>;
  rows: LoadRow[];
}

// ---------------------------------------------------------------------------------------------------
// The server child process.

export interface ServerChild {
  info: ServerInfo;
  call(cmd: ChildRequest['cmd']): Promise<Extract<ChildAnswer, { ok: true }>>;
  close(): Promise<void>;
}

const SERVER_SCRIPT = fileURLToPath(new URL('./collector-load-server.ts', import.meta.url));

export async function startServerChild(kind: CollectorKind, env: Record<string, string>): Promise<ServerChild> {
  const child: ChildProcess = fork(SERVER_SCRIPT, [kind], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (a: Extract<ChildAnswer, { ok: true }>) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited: Error | undefined;
  const info = await new Promise<ServerInfo>((resolve, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`collector-load-server (${kind}) exited with ${code ?? signal} before it was ready`)));
    child.once('error', reject);
    child.on('message', (raw) => {
      const m = raw as { ready?: ServerInfo } & Partial<ChildAnswer>;
      if (m.ready) return resolve(m.ready);
      const p = pending.get(m.id as number);
      if (!p) return;
      pending.delete(m.id as number);
      if (m.ok) p.resolve(m as Extract<ChildAnswer, { ok: true }>);
      else p.reject(new Error(`collector-load-server: ${(m as { error?: string }).error}`));
    });
  });
  child.removeAllListeners('exit');
  child.on('exit', (code, signal) => {
    exited = new Error(`collector-load-server (${kind}) exited with ${code ?? signal}`);
    for (const p of pending.values()) p.reject(exited);
    pending.clear();
  });
  const call = (cmd: ChildRequest['cmd']) =>
    new Promise<Extract<ChildAnswer, { ok: true }>>((resolve, reject) => {
      if (exited) return reject(exited);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, cmd } satisfies ChildRequest);
    });
  return {
    info,
    call,
    async close() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // The child closes its listeners and disconnects; killed if it has not exited within 5 s.
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      try {
        await call('close');
      } catch {
        // exited already
      }
      await gone;
      clearTimeout(timer);
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// The raw load generator.

/**
 * Replays `requests` with exactly `concurrency` in flight (a shared queue drained by that many
 * workers) over keep-alive agents; the response bodies are read and dropped.
 */
export async function replay(requests: readonly RecordedRequest[], concurrency: number, ca?: string): Promise<{ requests: number; wallMs: number; statusMismatches: number }> {
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: concurrency, ...(ca ? { ca } : {}) });
  let next = 0;
  let mismatches = 0;
  const one = (r: RecordedRequest) =>
    new Promise<void>((resolve, reject) => {
      const isHttps = r.url.startsWith('https:');
      const headers = r.body !== undefined ? { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) } : r.headers;
      const req = (isHttps ? https : http).request(r.url, { method: r.method, headers, agent: isHttps ? httpsAgent : httpAgent }, (res) => {
        res.on('data', () => undefined);
        res.on('error', reject);
        res.on('end', () => {
          if (res.statusCode !== r.status) mismatches++;
          resolve();
        });
      });
      req.on('error', reject);
      req.end(r.body);
    });
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= requests.length) return;
      await one(requests[i] as RecordedRequest);
    }
  };
  const t0 = performance.now();
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
  } finally {
    httpAgent.destroy();
    httpsAgent.destroy();
  }
  return { requests: requests.length, wallMs: performance.now() - t0, statusMismatches: mismatches };
}

// ---------------------------------------------------------------------------------------------------
// The collectors.

interface CollectorResult {
  wallMs: number;
  ledger: number;
  objects: number;
  incompleteScopes: number;
  peakInFlight: number;
  peakRssMiB: number;
}

async function sampled<T>(fn: () => Promise<T>): Promise<{ value: T; wallMs: number; peakRssMiB: number }> {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const t0 = performance.now();
  try {
    const value = await fn();
    const wallMs = performance.now() - t0;
    return { value, wallMs, peakRssMiB: Math.max(peak, process.memoryUsage.rss()) / 1048576 };
  } finally {
    clearInterval(sampler);
  }
}

async function runVaultCollector(info: Extract<ServerInfo, { kind: 'vault' }>, concurrency: number): Promise<CollectorResult> {
  const env = { VAULT_TOKEN: info.token };
  const cfg = parseHashicorpConfig([{ name: 'load', address: info.url, region: 'local', concurrency, timeout_seconds: 30 }], 'collector-load', env);
  const started = Date.now();
  const { value, wallMs, peakRssMiB } = await sampled(() => collectHashicorpVaultDetailed(cfg, { now: Math.floor(started / 1000), deadline: started + 10 * 60_000 }, { env }));
  const run = value.clusters[0];
  if (!run) throw new Error('the Vault collector returned no cluster run');
  return {
    wallMs,
    peakRssMiB,
    // Entries with `at` were handed to the transport; refused ones (request guard) never left.
    ledger: run.requestLog.filter((e) => e.at !== undefined).length,
    objects: Object.keys(value.fragment.vaults['hashicorp-vault:load']?.objects ?? {}).length,
    incompleteScopes: value.fragment.scopes.filter((s) => s.status === 'incomplete').length,
    peakInFlight: run.peakConcurrency,
  };
}

async function runAzureCollector(info: Extract<ServerInfo, { kind: 'azure' }>, concurrency: number): Promise<CollectorResult> {
  const vaults = info.vaultUrls.length;
  const cfg = parseAzureConfig(
    {
      data_plane_only: { vaults: info.vaultUrls.map((url, i) => ({ url, name: `kv-load-${i}` })) },
      credential: { kind: 'managed-identity' },
      key_vault: { service_version: '7.5', disable_challenge_resource_verification: true },
      tls: { ca_file: info.caFile },
      concurrency: { vaults, requests_per_vault: concurrency / vaults },
    },
    'collector-load',
  );
  // The per-vault rate budget (Key Vault's service limit, at most 2000 per 10 s in the config schema)
  // is lifted here, beyond the schema, so the run measures the collector, not its deliberate throttle.
  cfg.concurrency = { ...cfg.concurrency, vault_requests_per_10s: 1_000_000_000 };
  const previous = process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
  process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = info.tokenUrl;
  const log = new RequestLog();
  const started = Date.now();
  try {
    const { value, wallMs, peakRssMiB } = await sampled(() => collectAzureKeyVault(cfg, { now: Math.floor(started / 1000), deadline: started + 10 * 60_000 }, { requestLog: log }));
    return {
      wallMs,
      peakRssMiB,
      ledger: log.entries.length,
      objects: Object.values(value.vaults).reduce((n, v) => n + Object.keys(v.objects).length, 0),
      // Data-plane-only mode records each vault's ARM parts (config, diagnostic settings) and so the vault
      // itself as incomplete by design; only the object lists count here.
      incompleteScopes: value.scopes.filter((s) => s.status === 'incomplete' && /\/(secrets|keys|certificates|deleted)$/.test(s.scope)).length,
      peakInFlight: log.peakInFlight,
    };
  } finally {
    if (previous === undefined) delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
    else process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = previous;
  }
}

/** The server-side count the collector's ledger must equal. */
function serverLogged(kind: CollectorKind, c: ServerCounts): number {
  return kind === 'vault' ? (c.vaultLog ?? -1) : (c.kvAuthorized ?? 0) + (c.armLog ?? 0);
}

/** The wire count must also equal the server logs' total (every request reached a logging handler). */
function wireMatchesLogs(kind: CollectorKind, c: ServerCounts): boolean {
  return kind === 'vault' ? c.wire === c.vaultLog : c.wire === (c.kvLog ?? 0) + (c.armLog ?? 0) + (c.tokenEndpoint ?? 0);
}

// ---------------------------------------------------------------------------------------------------
// The load test.

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function layoutOf(kind: CollectorKind, concurrency: number, opts: LoadOptions): string {
  if (kind === 'vault') return `concurrency ${concurrency}`;
  return `${opts.azure.vaults} vaults × ${concurrency / opts.azure.vaults} per vault`;
}

export async function runCollectorLoad(opts: LoadOptions): Promise<LoadReport> {
  const say = opts.log ?? (() => undefined);
  if (!(opts.repeats >= 1)) throw new Error('repeats must be at least 1');
  for (const c of opts.concurrencies) {
    if (!Number.isInteger(c) || c < 1) throw new Error(`concurrency must be a positive integer, got ${c}`);
    if (opts.collectors.includes('azure') && c % opts.azure.vaults !== 0) {
      throw new Error(`Key Vault concurrency ${c} is not a multiple of the ${opts.azure.vaults} vaults (requests_per_vault = concurrency / vaults)`);
    }
  }
  const report: LoadReport = {
    startedAt: new Date().toISOString(),
    machine: `node ${process.version}, ${os.cpus().length} CPU (${os.cpus()[0]?.model.trim() ?? 'unknown'}), load average at start ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    options: { collectors: opts.collectors, concurrencies: opts.concurrencies, repeats: opts.repeats, warmups: opts.warmups, vault: opts.vault, azure: opts.azure },
    rows: [],
  };
  for (const kind of opts.collectors) {
    const env: Record<string, string> =
      kind === 'vault'
        ? { MOUNTS: String(opts.vault.mounts), SECRETS: String(opts.vault.secrets), VERSIONS: String(opts.vault.versions) }
        : { VAULTS: String(opts.azure.vaults), OBJECTS: String(opts.azure.objects), VERSIONS: String(opts.azure.versions), KEEP_ALIVE_TIMEOUT_MS: String(opts.azure.keepAliveTimeoutMs) };
    const server = await startServerChild(kind, env);
    try {
      const info = server.info;
      const collect = (c: number) => (info.kind === 'vault' ? runVaultCollector(info, c) : runAzureCollector(info, c));
      const ca = info.kind === 'azure' ? info.caPem : undefined;
      for (const concurrency of opts.concurrencies) {
        let firstWarmupRps = 0;
        let recorded: RecordedRequest[] = [];
        for (let w = 0; w < Math.max(1, opts.warmups); w++) {
          const last = w === Math.max(1, opts.warmups) - 1;
          await server.call('reset');
          if (last) await server.call('record');
          const warm = await collect(concurrency);
          if (last) recorded = (await server.call('stop-record')).recorded ?? [];
          const wire = ((await server.call('counts')).counts as ServerCounts).wire;
          if (w === 0) firstWarmupRps = (wire / warm.wallMs) * 1000;
          say(`${kind} c=${concurrency}: warm-up ${w + 1}: ${(warm.wallMs / 1000).toFixed(2)} s, ${((wire / warm.wallMs) * 1000).toFixed(0)} rps${last ? `, ${recorded.length} requests recorded` : ''}`);
        }
        const row: LoadRow = {
          collector: kind,
          concurrency,
          layout: layoutOf(kind, concurrency, opts),
          expectedObjects: info.expectedObjects,
          replayed: recorded.length,
          firstWarmupRps,
          raw: [],
          runs: [],
          rawRps: 0,
          collectorRps: 0,
          share: 0,
          countsAgree: true,
        };
        for (let r = 0; r < opts.repeats; r++) {
          await server.call('reset');
          const raw = await replay(recorded, concurrency, ca);
          const rawCounts = (await server.call('counts')).counts as ServerCounts;
          row.raw.push({ ...raw, rps: (raw.requests / raw.wallMs) * 1000, server: rawCounts });
          await server.call('reset');
          const res = await collect(concurrency);
          const counts = (await server.call('counts')).counts as ServerCounts;
          const logged = serverLogged(kind, counts);
          const run: CollectorRun = {
            requests: counts.wire,
            wallMs: res.wallMs,
            rps: (counts.wire / res.wallMs) * 1000,
            ledger: res.ledger,
            serverLogged: logged,
            countsAgree: res.ledger === logged && wireMatchesLogs(kind, counts),
            objects: res.objects,
            incompleteScopes: res.incompleteScopes,
            peakInFlight: res.peakInFlight,
            peakRssMiB: res.peakRssMiB,
            server: counts,
          };
          row.runs.push(run);
          const last = row.raw[row.raw.length - 1] as RawRun;
          say(`${kind} c=${concurrency} #${r + 1}: raw ${last.rps.toFixed(0)} rps (${last.requests} in ${(last.wallMs / 1000).toFixed(2)} s), collector ${run.rps.toFixed(0)} rps (${run.requests} wire / ${run.ledger} ledger in ${(run.wallMs / 1000).toFixed(2)} s)`);
        }
        row.rawRps = median(row.raw.map((x) => x.rps));
        row.collectorRps = median(row.runs.map((x) => x.rps));
        row.share = row.collectorRps / row.rawRps;
        row.countsAgree = row.runs.every((x) => x.countsAgree) && row.raw.every((x) => x.server.wire === x.requests && x.statusMismatches === 0);
        report.rows.push(row);
      }
    } finally {
      await server.close();
    }
  }
  return report;
}

// ---------------------------------------------------------------------------------------------------
// Rendering.

const COLLECTOR_NAME: Record<CollectorKind, string> = { vault: 'HashiCorp Vault', azure: 'Azure Key Vault (data plane)' };

const distinct = (xs: number[]) => [...new Set(xs)].join(', ');

export function renderTable(report: LoadReport): string {
  const lines = [
    '| collector | concurrency | requests per run (wire / ledger) | raw rps | collector rps | share | raw wall s | collector wall s | first warm-up rps | connections raw / collector | collector peak in flight | collector peak RSS MiB | objects | counts agree |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of report.rows) {
    const incomplete = Math.max(...r.runs.map((x) => x.incompleteScopes));
    lines.push(
      [
        '',
        COLLECTOR_NAME[r.collector],
        `${r.concurrency} (${r.layout})`,
        `${distinct(r.runs.map((x) => x.requests))} / ${distinct(r.runs.map((x) => x.ledger))}`,
        r.rawRps.toFixed(0),
        r.collectorRps.toFixed(0),
        `${(r.share * 100).toFixed(0)} %`,
        (median(r.raw.map((x) => x.wallMs)) / 1000).toFixed(2),
        (median(r.runs.map((x) => x.wallMs)) / 1000).toFixed(2),
        r.firstWarmupRps.toFixed(0),
        `${median(r.raw.map((x) => x.server.connections))} / ${median(r.runs.map((x) => x.server.connections))}`,
        String(Math.max(...r.runs.map((x) => x.peakInFlight))),
        Math.max(...r.runs.map((x) => x.peakRssMiB)).toFixed(0),
        `${distinct(r.runs.map((x) => x.objects))}/${r.expectedObjects}${incomplete > 0 ? ` (${incomplete} incomplete scopes)` : ''}`,
        r.countsAgree ? 'yes' : 'NO',
        '',
      ].join(' | ').trim(),
    );
  }
  return lines.join('\n');
}

export function renderSection(report: LoadReport, command: string): string {
  const o = report.options;
  const kinds = [...new Set(report.rows.map((r) => r.collector))];
  const goal = kinds
    .map((k) => `${COLLECTOR_NAME[k]} ${report.rows.filter((r) => r.collector === k).map((r) => `${(r.share * 100).toFixed(0)} % at ${r.concurrency}`).join(', ')}`)
    .join('; ');
  const servers: string[] = [];
  if (kinds.includes('vault')) servers.push(`The HashiCorp Vault test server (HTTP) with the standard fixture plus ${o.vault.mounts} KV v2 mounts × ${o.vault.secrets} secrets × ${o.vault.versions} versions`);
  if (kinds.includes('azure')) {
    servers.push(
      `The project's Key Vault REST test server (HTTPS) standing in for Lowkey Vault, whose jar cannot be downloaded here, with ${o.azure.vaults} vaults × ${o.azure.objects} objects (60 % secrets, 20 % keys, 20 % certificates, ${o.azure.versions} versions, pages of 25), and the ARM test server's managed-identity token endpoint; the test servers' keep-alive timeout is set to ${o.azure.keepAliveTimeoutMs} ms (theirs is 1 s, announced as \`Keep-Alive: timeout=1\`, with which Node's http.Agent never reuses a socket, so every request would be a new TLS handshake)`,
    );
  }
  return [
    `## Collector load test: each collector vs its test server's raw capacity (\`${command}\`)`,
    '',
    `Run ${report.startedAt}, ${report.machine}. The 2 cores are shared with other engineers' work and with the test`,
    'server, so absolute figures are noisy; compare the shares, measured in the same command.',
    '',
    'Method (bench/collector-load-lib.ts). Each test server runs in a child process (bench/collector-load-server.ts):',
    ...servers.map((x) => `- ${x}.`),
    '',
    `At each concurrency the collector runs ${o.warmups} time(s) to warm up; the server records the last of these runs (every`,
    'request it received: method, URL, headers, body, status). Then raw and collector runs alternate',
    `(${o.repeats} each; medians reported). The raw run is a minimal keep-alive node:http/https load generator replaying exactly the`,
    'recorded requests with the same number in flight (a shared queue; bodies read and dropped; statuses checked against',
    'the recording). The collector run is the real collector at that concurrency (Vault: `concurrency`; Key Vault:',
    'data-plane-only mode, all vaults at once, `requests_per_vault` = concurrency ÷ vaults, its per-vault rate budget lifted',
    "beyond the config schema's cap so the deliberate throttle is not what is measured; ARM discovery is left out because",
    'its 12 reads/s budget would be). Requests/s = requests the server received during the run (counted in the child) ÷',
    "the run's wall time; share = collector rps ÷ raw rps. \"counts agree\": the collector's own request ledger equals the",
    "server's request log (Vault: every request; Key Vault: the requests with a valid bearer token — the SDK's 401",
    'challenge is inside one ledger entry and an extra unauthorised request on the server), and every replayed request',
    'reached the server with the recorded status. "first warm-up rps": the first collector run at that concurrency (at the',
    'first concurrency a cold process, as a one-shot `vaultproof collect` is). Peak RSS: the load-test process, sampled',
    'every 20 ms during the collector runs.',
    '',
    renderTable(report),
    '',
    `Against the goal (collector ≥ 70 % of the test server's raw throughput at the same concurrency): ${goal}.`,
    '',
  ].join('\n');
}
