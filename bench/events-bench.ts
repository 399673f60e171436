/**
 * Benchmark: a deterministic 1 GiB HashiCorp Vault audit log (generated in a temp dir) processed by
 * the events collector in a child process; records throughput (MB/s) and the child's peak RSS
 * (goal: under 256 MB) in bench/RESULTS.md. The temp dir is removed afterwards.
 *
 *   npx tsx bench/events-bench.ts            # SIZE_MB=1024 (default), KEEP=1 keeps the generated log
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateVaultAuditLog } from './events-generate.js';

const sizeMb = Number(process.env.SIZE_MB ?? 1024);
const results = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
const dir = mkdtempSync(join(os.tmpdir(), 'vp-events-bench-'));
const log = join(dir, 'audit.log');

try {
  const g0 = performance.now();
  const gen = generateVaultAuditLog(log, sizeMb * 1024 * 1024);
  console.error(`generated ${gen.lines} lines, ${(gen.bytes / 1048576).toFixed(0)} MiB in ${((performance.now() - g0) / 1000).toFixed(1)} s -> ${log}`);
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./events-child.ts', import.meta.url)), log], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`bench child exited with ${child.status}`);
  const r = JSON.parse(child.stdout.trim().split('\n').pop() as string) as {
    bytes: number; lines: number; malformed: number; status: string; ms: number; max_rss_bytes: number; privileged: number; correlated: number; denied: number; denied_groups: number; break_glass_uses: number;
  };
  const mbs = r.bytes / 1e6 / (r.ms / 1000);
  const rssMb = r.max_rss_bytes / 1e6;
  const row = `| ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} | ${(r.bytes / 1048576).toFixed(0)} MiB | ${r.lines} | ${r.malformed} | ${(r.ms / 1000).toFixed(1)} | ${mbs.toFixed(1)} | ${rssMb.toFixed(0)} | ${rssMb < 256 ? 'yes' : 'NO'} | ${r.privileged} / ${r.correlated} / ${r.denied} (${r.denied_groups} groups) / ${r.break_glass_uses} | ${r.status} | node ${process.version}, ${os.cpus().length} CPU |`;
  console.log(row);
  appendRow(row);
} finally {
  if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
}

/** Adds the row to this benchmark's own section of bench/RESULTS.md (creating the section once), never touching others'. */
function appendRow(row: string): void {
  const header = '## Events collector: Vault audit log streaming (`npx tsx bench/events-bench.ts`)';
  const intro = [
    header,
    '',
    'A deterministic synthetic Vault audit log (file device JSON: request/response pairs, HMAC-hashed tokens and values,',
    'KV v2 reads/writes, logins, lists, 3 % denied, break-glass reads, a truncated line every 500k lines) generated in a',
    'temp dir, then processed by `collectEvents` in a child process (`node --import tsx`, so the RSS includes the',
    'TypeScript loader). MB/s = file bytes / wall time of the collection; peak RSS = getrusage maxrss of the child.',
    '',
    '| date (UTC) | log size | lines | malformed | wall s | MB/s | peak RSS MB | < 256 MB | privileged / correlated / denied / break-glass uses | source | machine |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const text = existsSync(results) ? readFileSync(results, 'utf8') : '# Benchmark results\n';
  const lines = text.split('\n');
  const at = lines.indexOf(header);
  if (at === -1) {
    writeFileSync(results, `${text.replace(/\n*$/, '\n\n')}${[...intro, row].join('\n')}\n`);
    return;
  }
  let end = lines.findIndex((l, i) => i > at && l.startsWith('|---'));
  while (end + 1 < lines.length && (lines[end + 1] as string).startsWith('|')) end++;
  lines.splice(end + 1, 0, row);
  writeFileSync(results, lines.join('\n'));
}
