/**
 * The evaluation benchmark: for each fleet size, on the same snapshot and the same policies, in the
 * same run,
 *   - the floor: read + JSON.parse the snapshot and nothing else (bench/floor-child.mjs),
 *   - vaultproof: read, validate, evaluate on the worker pool, write every finding (bench/eval-child.mjs),
 *   - opa eval: the Go interpreter over every shard the engine would evaluate (bench/opa/all_shards.rego).
 * Each measurement is its own process under /usr/bin/time, so wall time and peak RSS are its own.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBundle } from '../src/engine/bundle.js';
import { effectiveConfig } from '../src/engine/config-data.js';
import { FleetFacts, shardsOf } from '../src/engine/shards.js';
import { openSnapshotFile } from '../src/snapshot/snapshot-file.js';
import { SIZES, writeFleet, type FleetOptions, type FleetStats } from './fleet-generator.js';

const BENCH = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(BENCH, '..');
export const TIME = '/usr/bin/time';
/** util-linux setsid(1): runs a program in a new session. */
export const SETSID = '/usr/bin/setsid';

export interface BenchOptions {
  sizes: string[];
  /** Where fleets, opa inputs and outputs go (fleets are reused when their stats file matches). */
  workDir: string;
  opa: string;
  opaTimeoutSeconds?: number;
  workers?: number;
  /** Custom shapes by size name (tests); default SIZES. */
  shapes?: Record<string, FleetOptions>;
  /** Output formats to time through the CLI (`evaluate FLEET --format F --out FILE`); `evidence-pack` times a signed pack. Default none. */
  formats?: string[];
  /** Leave out `opa eval` (its 100k run alone takes minutes and ~3.5 GiB). */
  skipOpa?: boolean;
  /**
   * Another build's `bin/vaultproof.js` (e.g. a `git archive` of an earlier commit, built): each
   * format is run with it too, just before this tree's run, and the result holds both and their ratios.
   */
  baselineBin?: string;
  /**
   * Node's old-space limit for the format runs (`--max-old-space-size`), as a container of that memory
   * budget would size it; absent: node's default, which on a large machine lets garbage grow to 4 GB
   * before a full collection, so peak RSS then says little about the live set.
   */
  heapMib?: number;
  /** Only the format runs: no floor, no engine-only run, no opa (a re-measure of some formats). */
  formatsOnly?: boolean;
}

/** Every format the CLI renders, and the evidence pack. */
export const ALL_FORMATS = ['json', 'table', 'sarif', 'junit', 'ocsf', 'cef', 'html', 'evidence-pack'];

export interface Measure {
  status: 'ok' | 'failed' | 'timeout' | 'skipped';
  wall_s: number | null;
  peak_rss_mib: number | null;
  error?: string;
}

export interface SizeResult {
  size: string;
  shape: FleetOptions;
  objects: number;
  vaults: number;
  snapshot_mib: number;
  /** Index + JSON.parse of every vault and top-level member (how the engine reads; works at any size). */
  floor: Measure;
  /** readFileSync + one JSON.parse of the whole file (fails past V8's ~512 MiB string limit). */
  floor_whole: Measure;
  vaultproof: Measure & { findings?: number; phases_ms?: Record<string, number> };
  opa: Measure & { findings?: number };
  objects_per_s: { vaultproof: number | null; opa: number | null };
  ratio_vaultproof_opa: number | null;
  ratio_vaultproof_floor: number | null;
  /** Per output format: the whole `vaultproof evaluate` command, with its wall time over the floor's. */
  formats?: Record<string, FormatMeasure>;
}

export interface FormatMeasure extends Measure {
  output_mib?: number;
  ratio_floor?: number | null;
  /** With `baselineBin`: the baseline build's run of the same command, and this run over it. */
  baseline?: Measure & { output_mib?: number };
  ratio_time?: number | null;
  ratio_rss?: number | null;
  /** Both runs wrote the same bytes (sha256 of the output; of the pack's manifest for `evidence-pack`). */
  same_output?: boolean;
}

export interface BenchReport {
  date: string;
  machine: { node: string; cpus: number; cpu_model: string; opa: string };
  workers: number;
  results: SizeResult[];
  /** Evaluation time of the largest size over the previous one, with the object ratio. */
  growth: Array<{ from: string; to: string; objects_ratio: number; time_ratio: number | null }>;
}

/** Seconds between a run's SIGTERM at its limit and the SIGKILL that follows if it is still there. */
const KILL_AFTER_S = 10;

/**
 * One measurement: `cmd args` under /usr/bin/time (wall time and peak RSS), ended at `timeoutS`.
 *
 * The process tree is setsid(1) → /usr/bin/time → coreutils `timeout --foreground -k` → the command,
 * in a session of its own (setsid execs /usr/bin/time in place, so the session id is the pid spawnSync
 * started; spawnSync's child is never a process-group leader, so setsid does not fork):
 *   - `timeout` watches the command itself: at the limit it sends SIGTERM, and SIGKILL `killAfterS`
 *     later if the command is still there. A node process busy in a synchronous render cannot act on
 *     SIGTERM (the CLI's handler is JavaScript), so the KILL is what ends it. (`timeout` outside
 *     /usr/bin/time did not work: /usr/bin/time died of the TERM, `timeout` saw its child gone and
 *     exited 124 without ever sending the KILL, and node ran on, 2+ GB, after the bench moved on.)
 *   - `timeout` reaps the command, so /usr/bin/time's peak RSS is the command's even on a timeout.
 *   - Whatever way it ends (also spawnSync's own last-resort timeout, which kills /usr/bin/time
 *     only), every process still in the session afterwards is killed and waited for: a measurement
 *     returns with nothing it started left running.
 */
export function timed(cmd: string, args: string[], opts: { timeoutS: number; stdoutFile?: string; okCodes?: number[]; killAfterS?: number }): Measure & { stdout: string; pid?: number } {
  const timeFile = join(opts.stdoutFile ? `${opts.stdoutFile}.time` : `${BENCH}.time-${process.pid}`);
  const out = opts.stdoutFile ? openSync(opts.stdoutFile, 'w') : 'pipe';
  const killAfterS = opts.killAfterS ?? KILL_AFTER_S;
  const t0 = performance.now();
  let r: SpawnSyncReturns<string>;
  try {
    r = spawnSync(SETSID, ['--wait', TIME, '-f', '%e %M', '-o', timeFile, 'timeout', '--foreground', '-k', String(killAfterS), String(opts.timeoutS), cmd, ...args], {
      cwd: ROOT,
      stdio: ['ignore', out, 'pipe'],
      timeout: (opts.timeoutS + killAfterS + 30) * 1000,
      maxBuffer: 64 * 1024 * 1024,
      encoding: 'utf8',
      killSignal: 'SIGKILL',
    });
  } finally {
    if (typeof out === 'number') closeSync(out);
  }
  if (r.pid) endSession(r.pid);
  const wall = (performance.now() - t0) / 1000;
  const [, kb] = existsSync(timeFile) ? readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ') : [];
  rmSync(timeFile, { force: true });
  const peak = kb && /^\d+$/.test(kb) ? Math.round(Number(kb) / 1024) : null;
  const stdout = typeof r.stdout === 'string' ? r.stdout : '';
  const pid = r.pid ? { pid: r.pid } : {};
  // 124: `timeout` sent the TERM and the command ended; 137: it had to send the KILL.
  if (r.status === 124 || r.status === 137 || (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT')) return { status: 'timeout', wall_s: null, peak_rss_mib: peak, error: `no result within ${opts.timeoutS} s`, stdout, ...pid };
  if (!(opts.okCodes ?? [0]).includes(r.status ?? -1)) {
    const err = (r.stderr ?? '').trim().split('\n').filter((l) => l && !l.startsWith('Command exited')).slice(-3).join(' | ');
    return { status: 'failed', wall_s: round(wall), peak_rss_mib: peak, error: err || `exit ${r.status ?? r.signal}`, stdout, ...pid };
  }
  return { status: 'ok', wall_s: round(wall), peak_rss_mib: peak, stdout, ...pid };
}

/** Pids of the live (not zombie) processes in session `sid`, from /proc. */
export function sessionMembers(sid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // ended while we looked
    }
    // pid (comm) state ppid pgrp session ...: comm may hold spaces and parentheses, so split after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] !== 'Z' && Number(fields[3]) === sid) pids.push(Number(name));
  }
  return pids;
}

/** SIGKILL every process left in session `sid` and wait (up to 10 s) until none is. */
function endSession(sid: number): void {
  const deadline = Date.now() + 10_000;
  for (let left = sessionMembers(sid); left.length; left = sessionMembers(sid)) {
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (Date.now() > deadline) throw new Error(`bench: processes ${left.join(', ')} of a measurement (session ${sid}) survive SIGKILL`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

/** The fleet file for a size, generated unless a matching one is already there. */
export function fleetFile(workDir: string, size: string, shape: FleetOptions): { file: string; stats: FleetStats } {
  const file = join(workDir, `fleet-${size}.json`);
  const statsFile = `${file}.stats.json`;
  const key = JSON.stringify(shape);
  if (existsSync(file) && existsSync(statsFile)) {
    const saved = JSON.parse(readFileSync(statsFile, 'utf8')) as { key: string; stats: FleetStats };
    if (saved.key === key && statSync(file).size === saved.stats.bytes) return { file, stats: saved.stats };
  }
  const stats = writeFleet(file, shape);
  writeFileSync(statsFile, JSON.stringify({ key, stats }));
  return { file, stats };
}

/**
 * The opa side's input: every vault shard the engine evaluates and the fleet input without the
 * vault shards' facts (`bench/opa/all_shards.rego` derives them in the same run, as the engine
 * does), as `{"vault_shards": [...], "fleet": {...}}`, plus the policy data.
 */
function opaInputs(workDir: string, size: string, snapshotFile: string): { input: string; data: string } {
  const input = join(workDir, `opa-input-${size}.json`);
  const data = join(workDir, 'opa-data.json');
  writeFileSync(data, JSON.stringify({ config: effectiveConfig(loadBundle().defaults) }));
  // Read vault by vault, as the engine does (a whole-file read fails past V8's string limit).
  const source = openSnapshotFile(snapshotFile);
  const facts = new FleetFacts(source.head);
  const fd = openSync(input, 'w');
  writeSync(fd, '{"vault_shards":[');
  let first = true;
  for (const shard of shardsOf(source.head, source.vaultIds, (id) => source.readVault(id), facts)) {
    if (!first) writeSync(fd, ',');
    writeSync(fd, Buffer.from(shard.bytes));
    first = false;
  }
  source.close();
  writeSync(fd, '],"fleet":');
  writeSync(fd, Buffer.from(facts.input({}).bytes));
  writeSync(fd, '}\n');
  closeSync(fd);
  return { input, data };
}

/** The `total` the bench query reports beside the findings (the last key of the result object). */
function countOpaFindings(file: string): number {
  const buf = readFileSync(file);
  const needle = Buffer.from('"total":');
  const at = buf.lastIndexOf(needle);
  if (at === -1) throw new Error(`opa eval output ${file} has no "total"`);
  const m = /^\s*(\d+)/.exec(buf.subarray(at + needle.length, at + needle.length + 32).toString('utf8'));
  if (!m) throw new Error(`opa eval output ${file}: "total" is not a number`);
  return Number(m[1]);
}

function perSecond(objects: number, m: Measure): number | null {
  return m.status === 'ok' && m.wall_s ? Math.round(objects / m.wall_s) : null;
}

export function benchSize(size: string, shape: FleetOptions, opts: BenchOptions, progress: (line: string) => void = () => {}): SizeResult {
  const timeoutS = opts.opaTimeoutSeconds ?? 900;
  mkdirSync(opts.workDir, { recursive: true });
  const { file, stats } = fleetFile(opts.workDir, size, shape);
  if (opts.formatsOnly) {
    const skipped: Measure = { status: 'skipped', wall_s: null, peak_rss_mib: null, error: 'not run (--formats-only)' };
    return { ...result(size, shape, stats, skipped, skipped, skipped, skipped), formats: benchFormats(file, opts.workDir, size, opts.formats ?? [], skipped, timeoutS, opts.baselineBin, progress, opts.heapMib) };
  }
  const floor = timed(process.execPath, [join(BENCH, 'floor-child.mjs'), file], { timeoutS });
  const floorWhole = timed(process.execPath, [join(BENCH, 'floor-child.mjs'), file, '--whole'], { timeoutS });
  const findingsOut = join(opts.workDir, `findings-${size}.json`);
  const vpArgs = [join(BENCH, 'eval-child.mjs'), file, findingsOut, ...(opts.workers ? ['--workers', String(opts.workers)] : [])];
  const vp = timed(process.execPath, ['--max-old-space-size=8192', ...vpArgs], { timeoutS });
  // Only its summary line is used: the document (~8 GB at 1M) would otherwise sit on the disk
  // through every format's run.
  rmSync(findingsOut, { force: true });
  const vaultproof: SizeResult['vaultproof'] = { status: vp.status, wall_s: vp.wall_s, peak_rss_mib: vp.peak_rss_mib, ...(vp.error ? { error: vp.error } : {}) };
  if (vp.status === 'ok') {
    const line = JSON.parse(vp.stdout.trim().split('\n').pop() as string) as { findings: number; phases_ms: Record<string, number> };
    vaultproof.findings = line.findings;
    vaultproof.phases_ms = line.phases_ms;
  }
  let opa: SizeResult['opa'];
  const input = join(opts.workDir, `opa-input-${size}.json`);
  // opa eval holds its whole input as Go values: ~42× the snapshot's bytes at 100k (3.5 GiB for
  // 85 MiB). Past the machine's memory it would be killed by the OOM killer (or take the machine
  // down with it), so it is not started and the row says why.
  const formats = opts.formats?.length ? { formats: benchFormats(file, opts.workDir, size, opts.formats, floor, timeoutS, opts.baselineBin, progress, opts.heapMib) } : {};
  const opaEstimate = stats.bytes * OPA_BYTES_FACTOR;
  if (opts.skipOpa) {
    return { ...result(size, shape, stats, floor, floorWhole, vaultproof, { status: 'skipped', wall_s: null, peak_rss_mib: null, error: 'not run (--skip-opa)' }), ...formats };
  }
  if (opaEstimate > totalmem() * 0.8) {
    opa = { status: 'skipped', wall_s: null, peak_rss_mib: null, error: `not run: opa eval would need about ${Math.round(opaEstimate / 2 ** 30)} GiB (${OPA_BYTES_FACTOR}× the snapshot, as measured at 100k) and this machine has ${Math.round(totalmem() / 2 ** 30)} GiB` };
    return { ...result(size, shape, stats, floor, floorWhole, vaultproof, opa), ...formats };
  }
  try {
    const { data } = opaInputs(opts.workDir, size, file);
    const opaOut = join(opts.workDir, `opa-out-${size}.json`);
    const m = timed(
      opts.opa,
      ['eval', '--format', 'json', '--ignore', 'defaults.json', '--ignore', 'dist', '--ignore', '*_test.rego', '-d', join(ROOT, 'policies'), '-d', data, '-d', join(BENCH, 'opa', 'all_shards.rego'), '--input', input, 'data.vaultproof.bench.result'],
      { timeoutS, stdoutFile: opaOut },
    );
    opa = { status: m.status, wall_s: m.wall_s, peak_rss_mib: m.peak_rss_mib, ...(m.error ? { error: m.error } : {}) };
    if (m.status === 'ok') opa.findings = countOpaFindings(opaOut);
    rmSync(opaOut, { force: true });
  } catch (e) {
    opa = { status: 'failed', wall_s: null, peak_rss_mib: null, error: `could not prepare the opa input: ${(e as Error).message}` };
  } finally {
    rmSync(input, { force: true });
  }
  return { ...result(size, shape, stats, floor, floorWhole, vaultproof, opa), ...formats };
}

/**
 * Each format through the real command, `vaultproof evaluate FLEET --format F --out FILE` (exit 0, 1
 * or 3 are verdicts, not failures), each in its own process under /usr/bin/time; `evidence-pack`
 * writes a signed pack and its tarball (`--evidence-pack DIR --tar-gz --sign ed25519:KEY`, the table
 * as the run's output; its size is the pack's files and tarball).
 */
function benchFormats(file: string, workDir: string, size: string, formats: string[], floor: Measure, timeoutS: number, baselineBin?: string, progress: (line: string) => void = () => {}, heapMib?: number): NonNullable<SizeResult['formats']> {
  const bin = join(ROOT, 'bin', 'vaultproof.js');
  const out: NonNullable<SizeResult['formats']> = {};
  const keyDir = join(workDir, 'pack-key');
  if (formats.includes('evidence-pack') && !existsSync(join(keyDir, 'evidence-signing.key'))) {
    const k = spawnSync(process.execPath, [bin, 'keygen', keyDir], { cwd: ROOT, encoding: 'utf8' });
    if (k.status !== 0) throw new Error(`keygen failed: ${k.stderr}`);
  }
  /** One run of `evaluate` for a format with the build at `which`: its measure, output size and digest. */
  const runFormat = (which: string, format: string) => {
    const target = join(workDir, `out-${size}.${format}`);
    const packDir = join(workDir, `pack-${size}`);
    const tarball = `${packDir}.tar.gz`;
    const clean = () => [target, packDir, tarball].forEach((p) => rmSync(p, { force: true, recursive: true }));
    clean();
    // The pack as a CAB receives it: the signed directory and its tarball (the table is the run's console output).
    const pack = format === 'evidence-pack';
    const args = pack
      ? [which, 'evaluate', file, '--format', 'table', '--out', target, '--evidence-pack', packDir, '--tar-gz', '--sign', `ed25519:${join(keyDir, 'evidence-signing.key')}`]
      : [which, 'evaluate', file, '--format', format, '--out', target];
    const m = timed(process.execPath, [...(heapMib ? [`--max-old-space-size=${heapMib}`] : []), ...args], { timeoutS, okCodes: [0, 1, 3] });
    const outputs = pack ? [...(existsSync(packDir) ? readdirSync(packDir).map((n) => join(packDir, n)) : []), tarball] : [target];
    const bytes = outputs.reduce((sum, p) => sum + (existsSync(p) ? statSync(p).size : 0), 0);
    // A pack is identified by its manifest (it lists every file's sha256).
    const identity = pack ? join(packDir, 'manifest.json') : target;
    const digest = m.status === 'ok' && existsSync(identity) ? sha256File(identity) : null;
    clean();
    const measure: Measure & { output_mib: number } = { status: m.status, wall_s: m.wall_s, peak_rss_mib: m.peak_rss_mib, ...(m.error ? { error: m.error } : {}), output_mib: round(bytes / 1048576, 1) };
    // Each run as it ends (a 1M format takes many minutes): what was measured is on the log even if the bench is stopped.
    progress(`  ${size} ${format}${which === bin ? '' : ' (baseline)'} ${new Date().toISOString().slice(11, 19)}Z: ${fmt(measure)}${measure.status === 'ok' ? '' : `, peak RSS ${measure.peak_rss_mib ?? '-'} MiB`}, ${measure.output_mib} MiB out`);
    return { measure, digest };
  };
  const ratio = (a: number | null, b: number | null) => (a && b ? round(a / b, 2) : null);
  for (const format of formats) {
    const base = baselineBin ? runFormat(baselineBin, format) : undefined;
    const { measure: m, digest } = runFormat(bin, format);
    const ok = (x: Measure) => x.status === 'ok';
    out[format] = {
      ...m,
      ratio_floor: ok(m) && m.wall_s && floor.status === 'ok' && floor.wall_s ? round(m.wall_s / floor.wall_s, 1) : null,
      ...(base
        ? {
            baseline: base.measure,
            ratio_time: ok(m) && ok(base.measure) ? ratio(m.wall_s, base.measure.wall_s) : null,
            ratio_rss: ratio(m.peak_rss_mib, base.measure.peak_rss_mib),
            ...(digest && base.digest ? { same_output: digest === base.digest } : {}),
          }
        : {}),
    };
  }
  return out;
}

function sha256File(file: string): string {
  const hash = createHash('sha256');
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(8 * 1024 * 1024);
    for (let n = readSync(fd, buf, 0, buf.length, null); n > 0; n = readSync(fd, buf, 0, buf.length, null)) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** Peak RSS of `opa eval` over the snapshot's size, as measured at 100k (3581 MiB / 85.2 MiB, 2026-11-29). */
const OPA_BYTES_FACTOR = 42;

function result(size: string, shape: FleetOptions, stats: FleetStats, floor: Measure, floorWhole: Measure, vaultproof: SizeResult['vaultproof'], opa: SizeResult['opa']): SizeResult {
  const ok = (m: Measure) => m.status === 'ok' && m.wall_s !== null;
  const plain = (m: Measure): Measure => ({ status: m.status, wall_s: m.wall_s, peak_rss_mib: m.peak_rss_mib, ...(m.error ? { error: m.error } : {}) });
  return {
    size,
    shape,
    objects: stats.objects,
    vaults: stats.vaults,
    snapshot_mib: round(stats.bytes / 1048576, 1),
    floor: plain(floor),
    floor_whole: plain(floorWhole),
    vaultproof,
    opa,
    objects_per_s: { vaultproof: perSecond(stats.objects, vaultproof), opa: perSecond(stats.objects, opa) },
    ratio_vaultproof_opa: ok(vaultproof) && ok(opa) ? round((vaultproof.wall_s as number) / (opa.wall_s as number)) : null,
    ratio_vaultproof_floor: ok(vaultproof) && ok(floor) ? round((vaultproof.wall_s as number) / (floor.wall_s as number), 1) : null,
  };
}

export function runBench(opts: BenchOptions, progress: (line: string) => void = () => {}): BenchReport {
  const shapes = opts.shapes ?? SIZES;
  for (const size of opts.sizes) if (!shapes[size]) throw new Error(`unknown size "${size}" (expected one of ${Object.keys(shapes).join(', ')})`);
  if (!existsSync(TIME)) throw new Error(`${TIME} not found (Debian package "time"; run \`npm run setup\`)`);
  if (!existsSync(SETSID)) throw new Error(`${SETSID} not found (Debian package "util-linux")`);
  for (const f of ['engine/evaluate.js', 'engine/worker.js']) {
    if (!existsSync(join(ROOT, 'dist', f))) throw new Error(`dist/${f} missing: run \`npm run build:ts\` first`);
  }
  const results: SizeResult[] = [];
  for (const size of opts.sizes) {
    const shape = shapes[size] as FleetOptions;
    progress(`bench ${size}: ${shape.vaults} vaults × ${shape.objectsPerVault} objects × ${shape.versions} versions`);
    const r = benchSize(size, shape, opts, progress);
    progress(`  floor ${fmt(r.floor)}  vaultproof ${fmt(r.vaultproof)}  opa ${fmt(r.opa)}  ratio ${r.ratio_vaultproof_opa ?? '-'}`);
    results.push(r);
  }
  const growth: BenchReport['growth'] = [];
  for (let i = 1; i < results.length; i++) {
    const a = results[i - 1] as SizeResult;
    const b = results[i] as SizeResult;
    const ta = a.vaultproof.status === 'ok' ? a.vaultproof.wall_s : null;
    const tb = b.vaultproof.status === 'ok' ? b.vaultproof.wall_s : null;
    growth.push({ from: a.size, to: b.size, objects_ratio: round(b.objects / a.objects, 1), time_ratio: ta && tb ? round(tb / ta, 1) : null });
  }
  const opaVersion = spawnSync(opts.opa, ['version'], { encoding: 'utf8' }).stdout?.split('\n')[0]?.replace('Version: ', '') ?? 'unknown';
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    machine: { node: process.version, cpus: availableParallelism(), cpu_model: cpus()[0]?.model ?? 'unknown', opa: opaVersion },
    workers: opts.workers ?? availableParallelism(),
    results,
    growth,
  };
}

function fmt(m: Measure): string {
  return m.status === 'ok' ? `${m.wall_s} s / ${m.peak_rss_mib} MiB` : `${m.status} (${m.error ?? ''})`;
}

const cell = (m: Measure, v: number | null | undefined) => (m.status === 'ok' ? String(v ?? '-') : m.status);

export function renderMarkdown(report: BenchReport): string {
  const lines = [
    `Run ${report.date}: node ${report.machine.node}, ${report.machine.cpus} CPU (${report.machine.cpu_model}), opa ${report.machine.opa}, ${report.workers} worker(s).`,
    '',
    '| size | vaults | objects | snapshot MiB | floor s (read+parse by vault) | floor s (whole-file parse) | vaultproof s | vaultproof peak RSS MiB | vaultproof obj/s | opa eval s | opa peak RSS MiB | opa obj/s | vaultproof/opa | vaultproof/floor | findings (vp / opa) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of report.results) {
    lines.push(
      `| ${r.size} | ${r.vaults} | ${r.objects} | ${r.snapshot_mib} | ${cell(r.floor, r.floor.wall_s)} | ${cell(r.floor_whole, r.floor_whole.wall_s)} | ${cell(r.vaultproof, r.vaultproof.wall_s)} | ${cell(r.vaultproof, r.vaultproof.peak_rss_mib)} | ${cell(r.vaultproof, r.objects_per_s.vaultproof)} | ${cell(r.opa, r.opa.wall_s)} | ${cell(r.opa, r.opa.peak_rss_mib)} | ${cell(r.opa, r.objects_per_s.opa)} | ${r.ratio_vaultproof_opa ?? '-'} | ${r.ratio_vaultproof_floor ?? '-'} | ${r.vaultproof.findings ?? '-'} / ${r.opa.findings ?? '-'} |`,
    );
  }
  const failures = report.results.flatMap((r) => (['floor', 'floor_whole', 'vaultproof', 'opa'] as const).filter((k) => r[k].status !== 'ok').map((k) => `- ${r.size} ${k}: ${r[k].status}: ${r[k].error ?? ''}`));
  if (failures.length) lines.push('', ...failures);
  const phases = report.results.filter((r) => r.vaultproof.phases_ms);
  if (phases.length) {
    lines.push('', 'vaultproof phases (ms): ' + phases.map((r) => `${r.size} ${Object.entries(r.vaultproof.phases_ms as Record<string, number>).map(([k, v]) => `${k} ${v}`).join(', ')}`).join('; '));
  }
  const withFormats = report.results.filter((r) => r.formats);
  if (withFormats.length) {
    const withBaseline = withFormats.some((r) => Object.values(r.formats ?? {}).some((m) => m.baseline));
    if (withBaseline) {
      lines.push('', 'Per format (`vaultproof evaluate FLEET --format F --out FILE`), this tree against the baseline build run just before it in the same command:', '', '| size | format | baseline s | s | time ratio | baseline peak RSS MiB | peak RSS MiB | RSS ratio | × floor | output MiB | same output |', '|---|---|---|---|---|---|---|---|---|---|---|');
      for (const r of withFormats) {
        for (const [format, m] of Object.entries(r.formats ?? {})) {
          const b = m.baseline as Measure;
          lines.push(`| ${r.size} | ${format} | ${b ? cell(b, b.wall_s) : '-'} | ${cell(m, m.wall_s)} | ${m.ratio_time ?? '-'} | ${b ? (b.peak_rss_mib ?? '-') : '-'} | ${m.peak_rss_mib ?? '-'} | ${m.ratio_rss ?? '-'} | ${m.ratio_floor ?? '-'} | ${m.output_mib ?? '-'} | ${m.same_output === undefined ? '-' : m.same_output ? 'yes' : 'NO'} |`);
        }
      }
    } else {
      lines.push('', 'Per format (`vaultproof evaluate FLEET --format F --out FILE`; time over the same run\'s read+parse floor):', '', '| size | format | wall s | × floor | peak RSS MiB | output MiB |', '|---|---|---|---|---|---|');
      for (const r of withFormats) {
        for (const [format, m] of Object.entries(r.formats ?? {})) lines.push(`| ${r.size} | ${format} | ${cell(m, m.wall_s)} | ${m.ratio_floor ?? '-'} | ${cell(m, m.peak_rss_mib)} | ${m.output_mib ?? '-'} |`);
      }
    }
    const failed = withFormats.flatMap((r) => Object.entries(r.formats ?? {}).flatMap(([f, m]) => [
      ...(m.baseline && m.baseline.status !== 'ok' ? [`- ${r.size} ${f} (baseline): ${m.baseline.status}: ${m.baseline.error ?? ''}`] : []),
      ...(m.status !== 'ok' ? [`- ${r.size} ${f}: ${m.status}: ${m.error ?? ''}`] : []),
    ]));
    if (failed.length) lines.push('', ...failed);
  }
  if (report.growth.length) lines.push('', 'growth: ' + report.growth.map((g) => `${g.from}→${g.to}: objects ×${g.objects_ratio}, vaultproof time ×${g.time_ratio ?? '-'}`).join('; '));
  return lines.join('\n') + '\n';
}
