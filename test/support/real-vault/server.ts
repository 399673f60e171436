/**
 * A real HashiCorp Vault dev server for the integration tests (`tools/bin/vault`, built by
 * `npm run setup`): `vault server -dev` on loopback at a free port, with a random root token and a
 * temporary HOME, in memory. One server per test file: start it in beforeAll, stop it in afterAll;
 * a server still running when the jest worker exits is killed then (and a watchdog shell stops it
 * within a second if the worker dies without exiting cleanly).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface VaultResponse {
  status: number;
  body: Record<string, unknown>;
}

export interface RealVault {
  addr: string;
  rootToken: string;
  /** Temporary directory of this server (its HOME; a good place for a file audit device). */
  dir: string;
  /** One HTTP call; throws on a non-2xx answer unless `allowStatus` lists it. */
  api(method: string, path: string, body?: unknown, opts?: { token?: string; allowStatus?: number[]; headers?: Record<string, string> }): Promise<VaultResponse>;
  stop(): Promise<void>;
}

/**
 * Runs the server under a small shell that stops it when asked (SIGTERM/SIGINT) and when the test
 * process is gone, however it went (a jest worker killed with SIGKILL runs no exit handler).
 */
const WATCHDOG = [
  '"$@" & child=$!',
  "trap 'kill -TERM $child 2>/dev/null; wait $child; exit 0' TERM INT",
  'while kill -0 "$VP_PARENT_PID" 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done',
  'kill -TERM $child 2>/dev/null; wait $child',
].join('\n');

const running = new Set<ChildProcess>();
/** SIGKILL to the server's process group: the watchdog shell and the server with it. */
function killGroup(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

process.once('exit', () => {
  for (const child of running) killGroup(child);
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitHealthy(addr: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`vault server exited (${child.exitCode}) before it was healthy:\n${output()}`);
    try {
      const res = await fetch(`${addr}/v1/sys/health`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`vault server at ${addr} not healthy after ${timeoutMs} ms:\n${output()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => killGroup(child), 5000);
  await exited;
  clearTimeout(timer);
}

/** Starts `vault server -dev` (binary: `vaultBin`), retrying once on a port taken in between. */
export async function startRealVault(vaultBin: string, attempts = 2): Promise<RealVault> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(vaultBin);
    } catch (e) {
      if (attempt >= attempts) throw e;
    }
  }
}

async function startOnce(vaultBin: string): Promise<RealVault> {
  const dir = mkdtempSync(join(tmpdir(), 'vp-real-vault-'));
  const rootToken = `root-${randomBytes(12).toString('hex')}`;
  const port = await freePort();
  const addr = `http://127.0.0.1:${port}`;
  const args = ['server', '-dev', `-dev-root-token-id=${rootToken}`, `-dev-listen-address=127.0.0.1:${port}`, '-dev-no-store-token', '-log-level=warn'];
  const child = spawn('/bin/sh', ['-c', WATCHDOG, 'vault-watchdog', vaultBin, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: dir, VAULT_DISABLE_MLOCK: 'true', VP_PARENT_PID: String(process.pid) },
    cwd: dir,
    detached: true, // its own process group, so that one kill stops the shell and the server
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const cleanup = async () => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitHealthy(addr, child, () => out, 30_000);
  } catch (e) {
    await cleanup();
    throw e;
  }
  const api: RealVault['api'] = async (method, path, body, opts = {}) => {
    const res = await fetch(`${addr}/v1/${path}`, {
      method,
      headers: { 'X-Vault-Token': opts.token ?? rootToken, 'Content-Type': 'application/json', ...(opts.headers ?? {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    const parsed = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    if (!res.ok && !(opts.allowStatus ?? []).includes(res.status)) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 500)}`);
    return { status: res.status, body: parsed };
  };
  return { addr, rootToken, dir, api, stop: cleanup };
}
