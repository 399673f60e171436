/**
 * Child process of the collector load test (bench/collector-load.ts): starts one seeded test server
 * in its own process, so server and load generator / collector never share an event loop, and answers
 * the parent over IPC.
 *
 *   kind "vault": the HashiCorp Vault test server (test/support/vault-test-server), the standard
 *     fixture plus MOUNTS KV v2 mounts × SECRETS secrets × VERSIONS versions.
 *   kind "azure": the Key Vault REST test server (test/support/keyvault-test-server, standing in for
 *     Lowkey Vault, whose jar cannot be fetched here) with VAULTS vaults × OBJECTS objects (60 %
 *     secrets, 20 % keys, 20 % certificates, VERSIONS versions), and the ARM test server for its
 *     managed-identity token endpoint.
 *
 * Every request any listener of this process receives is seen through Node's
 * `http.server.request.start` diagnostics channel: counted always, and while recording kept in a
 * replayable form (method, absolute URL, request headers, body, the status answered) so that the raw
 * load generator can send exactly the collector's requests. Recorded headers carry the test servers'
 * own test tokens; the parent keeps them in memory and never prints them. No secret value is recorded:
 * the collectors never request one (the guards refuse it) and response bodies are not kept.
 *
 * IPC (parent → child): { id, cmd: 'record' | 'stop-record' | 'reset' | 'counts' | 'close' }.
 * Answers { id, ok, ... }; the first message is { ready: info }.
 */
import dc from 'node:diagnostics_channel';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { seedBulk, startFleet, type Fleet } from '../test/support/arm-test-server/fleet.js';
import { SCANNER_TOKEN, seedBulkKv, seedPrimary } from '../test/support/vault-test-server/fixture.js';
import { startVaultTestServer, type VaultTestServer } from '../test/support/vault-test-server/server.js';

/** One request as received, replayable by the raw load generator. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The status the server answered (the replay checks it gets the same). */
  status: number;
}

/** What the server's own logs and the diagnostics channel counted since the last reset. */
export interface ServerCounts {
  /** Every request received by any listener of the child (the wire count). */
  wire: number;
  /** Connections that carried those requests (each HTTPS one a TLS handshake, unless reused from before the reset). */
  connections: number;
  /** Vault test server: entries of its request log. */
  vaultLog?: number;
  /** Key Vault test server: entries of its request log, and those that carried a valid bearer token. */
  kvLog?: number;
  kvAuthorized?: number;
  /** ARM test server (HTTPS API, not the token endpoint): entries of its request log. */
  armLog?: number;
  /** Requests to the managed-identity token endpoint. */
  tokenEndpoint?: number;
  /** Most requests in flight at once on the server side (Key Vault test server only). */
  kvPeakInFlight?: number;
}

export type ServerInfo =
  | { kind: 'vault'; url: string; token: string; expectedObjects: number }
  | { kind: 'azure'; vaultUrls: string[]; tokenUrl: string; caFile: string; caPem: string; expectedObjects: number; keepAliveTimeoutMs: number };

export type ChildRequest = { id: number; cmd: 'record' | 'stop-record' | 'reset' | 'counts' | 'close' };
export type ChildAnswer = { id: number; ok: true; counts?: ServerCounts; recorded?: RecordedRequest[] } | { id: number; ok: false; error: string };

const SKIPPED_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

const int = (name: string, dflt: number): number => {
  const v = Number(process.env[name] ?? dflt);
  if (!Number.isInteger(v) || v < 0) throw new Error(`${name} must be a non-negative integer, got ${process.env[name]}`);
  return v;
};

let recording = false;
let recorded: RecordedRequest[] = [];
let wire = 0;
let tokenEndpoint = 0;
/** Connections (TCP/TLS) that carried requests since the last reset. */
let seenSockets = new WeakSet<Socket>();
let connections = 0;

dc.subscribe('http.server.request.start', (message) => {
  const { request, response, socket } = message as { request: IncomingMessage; response: ServerResponse; socket: Socket };
  wire++;
  if (!seenSockets.has(socket)) {
    seenSockets.add(socket);
    connections++;
  }
  if (request.url?.startsWith('/metadata/identity/')) tokenEndpoint++;
  if (!recording) return;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) {
    if (SKIPPED_HEADERS.has(k) || v === undefined) continue;
    headers[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  const scheme = (socket as TLSSocket).encrypted ? 'https' : 'http';
  const entry: RecordedRequest = { method: request.method ?? 'GET', url: `${scheme}://127.0.0.1:${socket.localPort}${request.url ?? '/'}`, headers, status: 0 };
  recorded.push(entry);
  if (entry.method !== 'GET' && entry.method !== 'HEAD') {
    // Added before the server's own handler attaches its listener (same tick): both see every chunk.
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      if (chunks.length > 0) entry.body = Buffer.concat(chunks).toString('utf8');
    });
  }
  response.on('finish', () => (entry.status = response.statusCode));
});

async function startVault(): Promise<{ info: ServerInfo; server: VaultTestServer }> {
  const mounts = int('MOUNTS', 10);
  const secrets = int('SECRETS', 200);
  const versions = Math.max(1, int('VERSIONS', 3));
  const { state } = seedPrimary({ edition: 'enterprise' });
  seedBulkKv(state, { mounts, secrets, versions, prefix: 'load' });
  const server = await startVaultTestServer(state, { keepBodies: false });
  // The standard fixture holds 7 KV v2 secrets, 1 KV v1 secret (legacy/old/api-key, listed since KV v1 mounts are
  // walked) and 2 transit keys (transit/app-encryption, transit/webhook-signing) besides the seeded ones.
  return { info: { kind: 'vault', url: server.url, token: SCANNER_TOKEN, expectedObjects: mounts * secrets + 10 }, server };
}

async function startAzure(): Promise<{ info: ServerInfo; fleet: Fleet }> {
  const vaults = Math.max(1, int('VAULTS', 4));
  const objects = int('OBJECTS', 250);
  const versions = Math.max(1, int('VERSIONS', 2));
  const fleet = await startFleet({ kvPageSize: 25, armPageSize: 25 });
  // The Key Vault and ARM test servers set keepAliveTimeout = 1000 ms, announced as `Keep-Alive: timeout=1`;
  // Node's http.Agent (since v19) then never reuses a socket (it keeps a socket for the hint minus 1 s, here
  // 0), so every request of any Node client is a new TLS handshake and the handshakes are what gets measured.
  // Lowkey Vault (Spring Boot) and Key Vault announce no such timeout: use Node's default (5 s) unless told.
  const keepAliveMs = int('KEEP_ALIVE_TIMEOUT_MS', 5000);
  const per = { secrets: Math.round(objects * 0.6), keys: Math.round(objects * 0.2), certificates: objects - Math.round(objects * 0.6) - Math.round(objects * 0.2) };
  const vaultUrls: string[] = [];
  for (let i = 0; i < vaults; i++) {
    const v = await fleet.addVault({ name: `kv-load-${String(i).padStart(3, '0')}`, diagnostics: [] });
    seedBulk(v, { ...per, versions }, (n) => `LOAD-CANARY-${i}-${n}`);
    vaultUrls.push(v.baseUrl);
  }
  // Private fields of the test servers (not this bench's files); checked, so a rename cannot go unnoticed.
  const listeners = [...((fleet.kv as unknown as { servers?: HttpServer[] }).servers ?? []), (fleet.arm as unknown as { https?: HttpServer }).https];
  if (listeners.length !== vaults + 1 || listeners.some((l) => typeof l?.keepAliveTimeout !== 'number')) {
    throw new Error('cannot reach the test servers\' listeners to set keepAliveTimeout (KeyVaultTestServer.servers / ArmTestServer.https)');
  }
  for (const l of listeners) (l as HttpServer).keepAliveTimeout = keepAliveMs;
  return { info: { kind: 'azure', vaultUrls, tokenUrl: fleet.arm.tokenUrl, caFile: fleet.pki.caFile, caPem: fleet.pki.caPem, expectedObjects: vaults * objects, keepAliveTimeoutMs: keepAliveMs }, fleet };
}

async function main(): Promise<void> {
  const kind = process.argv[2];
  if (kind !== 'vault' && kind !== 'azure' && kind !== undefined) throw new Error(`unknown server kind ${kind}`);
  if (!process.send) throw new Error('collector-load-server runs as a child process with an IPC channel');
  let vault: VaultTestServer | undefined;
  let fleet: Fleet | undefined;
  let info: ServerInfo;
  if (kind === 'azure') ({ info, fleet } = await startAzure());
  else ({ info, server: vault } = await startVault());

  const counts = (): ServerCounts => {
    const c: ServerCounts = { wire, connections };
    if (vault) c.vaultLog = vault.log.length;
    if (fleet) {
      c.kvLog = fleet.kv.log.length;
      c.kvAuthorized = fleet.kv.log.filter((e) => e.authorized).length;
      c.armLog = fleet.arm.log.length;
      c.tokenEndpoint = tokenEndpoint;
      c.kvPeakInFlight = fleet.kv.peakInFlight;
    }
    return c;
  };
  const reset = () => {
    wire = 0;
    tokenEndpoint = 0;
    connections = 0;
    seenSockets = new WeakSet<Socket>();
    if (vault) vault.log.length = 0;
    if (fleet) {
      fleet.kv.log.length = 0;
      fleet.arm.log.length = 0;
      fleet.kv.peakInFlight = 0;
    }
  };
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await vault?.close();
      if (fleet) {
        await fleet.close();
        rmSync(fleet.pki.dir, { recursive: true, force: true });
      }
    })());

  process.on('message', (raw) => {
    const m = raw as ChildRequest;
    const answer = (a: Omit<Extract<ChildAnswer, { ok: true }>, 'id' | 'ok'> = {}) => process.send!({ id: m.id, ok: true, ...a } satisfies ChildAnswer);
    try {
      switch (m.cmd) {
        case 'record':
          recorded = [];
          recording = true;
          return answer();
        case 'stop-record': {
          recording = false;
          const out = recorded;
          recorded = [];
          return answer({ recorded: out });
        }
        case 'reset':
          reset();
          return answer();
        case 'counts':
          return answer({ counts: counts() });
        case 'close':
          void close().then(() => {
            answer();
            process.disconnect();
          });
          return;
      }
    } catch (e) {
      process.send!({ id: m.id, ok: false, error: String(e) } satisfies ChildAnswer);
    }
  });
  process.on('disconnect', () => void close().then(() => process.exit(0)));
  process.send({ ready: info });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
