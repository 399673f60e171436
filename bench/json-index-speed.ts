/**
 * Scan speed of src/snapshot/json-index.ts against the whole-file baseline JSON.parse(readFileSync(file, 'utf8')).
 *
 *   npx tsx bench/json-index-speed.ts                 # generates a ~200 MB compact fleet snapshot (bench/fleet-generator.ts) and a pretty-printed copy
 *   npx tsx bench/json-index-speed.ts --mb 50         # smaller
 *   npx tsx bench/json-index-speed.ts --file F.json   # an existing file instead
 *
 * Each measurement runs in its own child process (best of --runs, default 3, page cache warm), so the peak
 * RSS printed is that approach's own: the index scan should stay near the chunk size, the baseline holds
 * the text and the parsed tree. MB = 10^6 bytes.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { indexJsonFile, readJsonRange } from '../src/snapshot/json-index.js';
import { writeFleet } from './fleet-generator.js';

const SELF = fileURLToPath(import.meta.url);

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

interface Measure {
  bytes: number;
  firstMs: number;
  bestMs: number;
  maxRssMiB: number;
  members?: number;
  vaults?: number;
}

/** Child mode: time one approach on one file, print a Measure as JSON. */
function child(mode: string, file: string, runs: number): void {
  const bytes = statSync(file).size;
  let best = Infinity;
  let first = 0;
  let members = 0;
  let vaults = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    if (mode === 'floor') {
      // Nothing: the process's own peak RSS (node + tsx), for comparison.
    } else if (mode === 'scan') {
      const ix = indexJsonFile(file, { expand: ['vaults'] });
      members = ix.members.length;
      vaults = ix.members.find((m) => m.key === 'vaults')?.members?.length ?? 0;
    } else {
      const v = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      members = Object.keys(v).length;
    }
    const ms = performance.now() - t0;
    if (r === 0) first = ms;
    best = Math.min(best, ms);
  }
  const m: Measure = { bytes, firstMs: first, bestMs: best, maxRssMiB: process.resourceUsage().maxRSS / 1024, members, vaults };
  process.stdout.write(JSON.stringify(m));
}

/** A Measure, or the first line of the error for an approach that cannot handle the file (ERR_STRING_TOO_LONG). */
function run(mode: string, file: string, runs: number): Measure | string {
  const r = spawnSync(process.execPath, [...process.execArgv, SELF, '--child', mode, '--file', file, '--runs', String(runs)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) return (/^\w*Error.*$/m.exec(r.stderr)?.[0] ?? r.stderr.trim().split('\n')[0] ?? `exit ${r.status}`).slice(0, 200);
  return JSON.parse(r.stdout) as Measure;
}

/** Rewrites a compact snapshot pretty-printed (2-space indent), vault by vault, using the index itself. */
function prettyCopy(src: string, dst: string): void {
  const ix = indexJsonFile(src, { expand: ['vaults'] });
  const fd = openSync(src, 'r');
  const out = openSync(dst, 'w');
  const indent = (s: string) => s.replace(/\n/g, '\n  ');
  writeSync(out, '{\n');
  ix.members.forEach((m, i) => {
    writeSync(out, `${i ? ',\n' : ''}  ${JSON.stringify(m.key)}: `);
    if (m.members) {
      writeSync(out, '{\n');
      m.members.forEach((v, k) => writeSync(out, `${k ? ',\n' : ''}    ${JSON.stringify(v.key)}: ${indent(indent(JSON.stringify(readJsonRange({ fd, file: src }, v), null, 2)))}`));
      writeSync(out, '\n  }');
    } else {
      writeSync(out, indent(JSON.stringify(readJsonRange({ fd, file: src }, m), null, 2)));
    }
  });
  writeSync(out, '\n}\n');
  closeSync(out);
  closeSync(fd);
}

function report(label: string, file: string, runs: number): void {
  const floor = run('floor', file, 1);
  const scan = run('scan', file, runs);
  const parse = run('parse', file, runs);
  if (typeof floor === 'string' || typeof scan === 'string') throw new Error(`indexJsonFile failed: ${String(typeof scan === 'string' ? scan : floor)}`);
  const mb = scan.bytes / 1e6;
  const rate = (ms: number) => `${(mb / (ms / 1000)).toFixed(0).padStart(5)} MB/s`;
  const line = (name: string, m: Measure | string) =>
    typeof m === 'string'
      ? `  ${name.padEnd(34)} fails: ${m}`
      : `  ${name.padEnd(34)} first ${m.firstMs.toFixed(0).padStart(5)} ms ${rate(m.firstMs)}   best of ${runs} ${m.bestMs.toFixed(0).padStart(5)} ms ${rate(m.bestMs)}   peak RSS ${m.maxRssMiB.toFixed(0)} MiB`;
  console.log(`${label}: ${mb.toFixed(1)} MB, ${scan.members} top-level members, ${scan.vaults} vaults (process floor: peak RSS ${floor.maxRssMiB.toFixed(0)} MiB)`);
  console.log(line('indexJsonFile', scan));
  console.log(line('JSON.parse(readFileSync) baseline', parse));
  if (typeof parse !== 'string') console.log(`  speed ratio scan/baseline: first run ${(parse.firstMs / scan.firstMs).toFixed(1)}x, best ${(parse.bestMs / scan.bestMs).toFixed(1)}x`);
}

const mode = arg('child');
const runs = Number(arg('runs') ?? 3);
if (mode) {
  child(mode, arg('file')!, runs);
} else if (arg('file')) {
  report(arg('file')!, arg('file')!, runs);
} else {
  const targetMb = Number(arg('mb') ?? 200);
  const dir = mkdtempSync(join(tmpdir(), 'json-index-speed-'));
  try {
    // ~890 bytes per object in the compact fleet (1M objects = 848 MiB).
    const compact = join(dir, 'fleet.json');
    const stats = writeFleet(compact, { vaults: Math.max(1, Math.round((targetMb * 1e6) / (1000 * 890))), objectsPerVault: 1000, versions: 3 });
    report(`compact fleet (${stats.objects} objects)`, compact, runs);
    const small = join(dir, 'fleet-small.json');
    writeFleet(small, { vaults: Math.max(1, Math.round((targetMb * 1e6) / (1000 * 890 * 1.65))), objectsPerVault: 1000, versions: 3 });
    const pretty = join(dir, 'fleet-pretty.json');
    prettyCopy(small, pretty);
    rmSync(small);
    report('pretty-printed fleet (2-space indent)', pretty, runs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
