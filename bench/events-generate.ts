/**
 * Deterministic synthetic HashiCorp Vault audit log (file device format): request/response pairs
 * with HMAC-hashed tokens and values, KV v2 reads and writes, logins, lists, denied requests,
 * break-glass reads and the odd malformed line. Same seed and size → byte-identical file.
 *
 *   npx tsx bench/events-generate.ts OUT.log [SIZE_MB]
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { prng } from '../src/util/prng.js';

export const BENCH_MOUNTS = ['secret/', 'ci/'];
export const BENCH_SECRETS = 2000;
export const BENCH_NOW = Date.UTC(2026, 10, 29) / 1000;


export function secretPath(i: number): string {
  return i === 0 ? 'project/cab/break-glass-root' : `project/team-${i % 40}/app-${i}/credential`;
}

/** Writes about `sizeBytes` of audit log to `out`; returns the line and byte counts. */
export function generateVaultAuditLog(out: string, sizeBytes: number, seed = 20261129): { lines: number; bytes: number } {
  const rand = prng(seed);
  const hex = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += ((rand() * 16) | 0).toString(16);
    return s;
  };
  const hmac = () => `hmac-sha256:${hex(64)}`;
  const fd = openSync(out, 'w');
  let buf: string[] = [];
  let bufLen = 0;
  let bytes = 0;
  let lines = 0;
  const flush = () => {
    const b = Buffer.from(buf.join(''));
    writeSync(fd, b);
    bytes += b.length;
    buf = [];
    bufLen = 0;
  };
  const push = (line: string) => {
    buf.push(line, '\n');
    bufLen += line.length + 1;
    lines++;
    if (bufLen > 4 << 20) flush();
  };
  const from = BENCH_NOW - 31 * 86400;
  let t = from;
  let n = 0;
  while (bytes + bufLen < sizeBytes) {
    n++;
    t += rand() * 2.5;
    const time = new Date(Math.floor(t * 1000)).toISOString().replace('Z', `${hex(6).replace(/[a-f]/g, '0')}Z`);
    const id = `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
    const r = rand();
    const mount = BENCH_MOUNTS[r < 0.9 ? 0 : 1] as string;
    const secret = secretPath((rand() * BENCH_SECRETS) | 0);
    let op = 'read';
    let path = `${mount}data/${secret}`;
    let error: string | null = null;
    let name = `approle-app-${(rand() * 300) | 0}`;
    let corr: string | null = null;
    if (r < 0.1) {
      op = 'update';
      path = 'auth/approle/login';
    } else if (r < 0.22) {
      op = 'update';
      corr = rand() < 0.97 ? `chg-${(rand() * 1e6) | 0}` : null;
      name = 'approle-rotation-job';
    } else if (r < 0.26) {
      op = 'list';
      path = `${mount}metadata/project/`;
    } else if (r < 0.29) {
      error = 'permission denied';
    } else if (r < 0.2905) {
      path = `secret/data/${secretPath(0)}`;
      name = 'oidc-j.doe';
      corr = `inc-${(rand() * 100) | 0}`;
    }
    const auth = `{"accessor":"${hmac()}","client_token":"${hmac()}","display_name":"${name}","entity_id":"${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}","metadata":{"role_name":"${name}"},"policies":["default","${name}"],"token_policies":["default","${name}"],"policy_results":{"allowed":${error === null},"granting_policies":[{"name":"${name}","namespace_id":"root","type":"acl"}]},"token_type":"service","token_ttl":3600,"token_issue_time":"2026-11-01T00:00:00Z"}`;
    const headers = corr ? `,"headers":{"x-correlation-id":["${corr}"]}` : '';
    const data = op === 'update' ? `,"data":{"data":{"password":"${hmac()}","username":"${hmac()}"},"options":{"cas":"${hmac()}"}}` : '';
    const request = `{"id":"${id}","client_id":"${hmac()}","operation":"${op}","mount_point":"${mount}","mount_type":"kv","mount_accessor":"kv_${hex(8)}","mount_running_version":"v0.20.0+builtin","mount_class":"secret","client_token":"${hmac()}","client_token_accessor":"${hmac()}","namespace":{"id":"root"},"path":"${path}"${data}${headers},"remote_address":"10.${(rand() * 255) | 0}.${(rand() * 255) | 0}.${(rand() * 255) | 0}","remote_port":${40000 + ((rand() * 20000) | 0)}}`;
    const err = error ? `,"error":"${error}"` : '';
    push(`{"time":"${time}","type":"request","auth":${auth},"request":${request}${err}}`);
    const response = op === 'read' && !error ? `,"response":{"mount_point":"${mount}","mount_type":"kv","data":{"data":{"password":"${hmac()}"},"metadata":{"created_time":"${hmac()}","version":${1 + ((rand() * 9) | 0)}}}}` : `,"response":{"mount_point":"${mount}","mount_type":"kv"}`;
    push(`{"time":"${time}","type":"response","auth":${auth},"request":${request}${response}${err}}`);
    if (n % 250_000 === 0) push(`{"time":"${time}","type":"request","auth":{"display_name":"trunc`);
  }
  flush();
  closeSync(fd);
  return { lines, bytes };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [out, size] = process.argv.slice(2);
  if (!out) throw new Error('usage: events-generate.ts OUT.log [SIZE_MB]');
  console.log(JSON.stringify(generateVaultAuditLog(out, Number(size ?? 1024) * 1024 * 1024)));
}
