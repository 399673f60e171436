/**
 * Per-rule profile of the WASM policy evaluation: which rule packages dominate the cost per object.
 *
 *   npx tsx bench/profile-rules.ts                 # 10k-object fleet, every rule, 1 round
 *   npx tsx bench/profile-rules.ts --size 1k --rounds 3 --json /tmp/profile.json
 *   npx tsx bench/profile-rules.ts --fleet bench/.cache/fleet-1M.json --vaults 10   # the first 10 vaults of a file
 *
 * What it does:
 *  1. builds one policy.wasm with one entrypoint per rule package
 *     (`vaultproof/rules/<family>/<rule>/findings`) plus the aggregate `vaultproof/main/findings`,
 *     with the same capabilities file as scripts/build-policies.mjs (the opa-wasm SDK's builtins
 *     minus those the SDK does not implement) and the same ignores (tests, defaults, dist);
 *  2. generates (or reuses, in bench/.cache) the seeded fleet of `bench/fleet-generator.ts` and cuts
 *     it into the engine's shards (`src/engine/shards.ts`: one per vault, plus the fleet input);
 *  3. times every entrypoint over all shards (the same input bytes, `evaluate(input, entrypoint)`,
 *     data = the policy defaults as `data.config`), best of --rounds, and prints a markdown table
 *     sorted by evaluation time. Two timings per rule: `eval` (a scratch entrypoint returning
 *     `count(findings)`, minus a no-op entrypoint's time: the rule's work without the input load and
 *     without serialising the findings out of WASM) and `full` (the `findings` entrypoint as such).
 *     The aggregate `vaultproof/main/findings` is timed both ways too.
 *
 * A rule's time includes the lib work it triggers (e.g. classification), which the aggregate shares
 * between rules within one evaluation: the per-rule times add up to more than the aggregate.
 * The machine may be shared: compare numbers measured in the same run only.
 */
import { loadPolicy, type LoadedPolicy } from '@open-policy-agent/opa-wasm';
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fleetInput, mergeGrantTypes, vaultShards } from '../src/engine/shards.js';
import { checkResult, ENTRYPOINT, flattenFindings, WASM_MEMORY, type GrantTypes, type RuleFindings } from '../src/engine/policy.js';
import type { Snapshot } from '../src/snapshot/types.js';
import { openSnapshotFile } from '../src/snapshot/snapshot-file.js';
import { SIZES, writeFleet } from './fleet-generator.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// --policies DIR: profile another copy of the policies (e.g. `git archive REV policies | tar -x -C DIR/..`)
// against the same fleet, for before/after numbers measured in one sitting.
const POLICIES = resolve(arg('policies') ?? join(ROOT, 'policies'));
const AGGREGATE = 'vaultproof/main/findings';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function findOpa(): string {
  for (const c of [process.env.OPA, join(ROOT, 'tools', 'bin', 'opa')]) if (c && existsSync(c)) return c;
  const which = spawnSync('sh', ['-c', 'command -v opa'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  throw new Error('opa not found (run `npm run setup`, or set OPA=/path/to/opa)');
}

/** Rule packages (vaultproof.rules.<family>.<rule>) from the non-test .rego files. */
function rulePackages(): string[] {
  const out: string[] = [];
  for (const family of readdirSync(POLICIES, { withFileTypes: true })) {
    if (!family.isDirectory() || ['lib', 'data', 'dist'].includes(family.name)) continue;
    for (const f of readdirSync(join(POLICIES, family.name))) {
      if (!f.endsWith('.rego') || f.endsWith('_test.rego')) continue;
      const m = /^package\s+(vaultproof\.rules\.[\w.]+)/m.exec(readFileSync(join(POLICIES, family.name, f), 'utf8'));
      if (m?.[1]) out.push(m[1]);
    }
  }
  return [...new Set(out)].sort();
}

/** policy.wasm with the given entrypoints, built like scripts/build-policies.mjs builds the bundle. */
function buildWasm(opa: string, entrypoints: string[], extraFiles: string[]): Uint8Array {
  const work = mkdtempSync(join(tmpdir(), 'vaultproof-profile-'));
  try {
    const sdk = JSON.parse(readFileSync(join(ROOT, 'node_modules', '@open-policy-agent', 'opa-wasm', 'capabilities.json'), 'utf8'));
    const current = JSON.parse(execFileSync(opa, ['capabilities', '--current'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
    const notInSdk = new Set(['time.diff', 'rand.intn']);
    const caps = join(work, 'capabilities.json');
    writeFileSync(caps, JSON.stringify({
      builtins: sdk.builtins.filter((b: { name: string }) => !notInSdk.has(b.name)),
      wasm_abi_versions: sdk.wasm_abi_versions,
      future_keywords: current.future_keywords,
      features: current.features,
    }));
    const bundle = join(work, 'bundle.tar.gz');
    const eps = entrypoints.flatMap((e) => ['-e', e]);
    const built = spawnSync(opa, ['build', '-t', 'wasm', ...eps, '--capabilities', caps, '--ignore', '*_test.rego', '--ignore', 'defaults.json', '--ignore', 'dist', '-o', bundle, POLICIES, ...extraFiles], { cwd: ROOT, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`opa build failed:\n${built.stdout}${built.stderr}`);
    execFileSync('tar', ['-xzf', bundle, '-C', work, '/policy.wasm'], { stdio: 'pipe' });
    return readFileSync(join(work, 'policy.wasm'));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function fleetFile(size: string): string {
  const opts = SIZES[size];
  if (!opts) throw new Error(`--size must be one of ${Object.keys(SIZES).join(', ')}`);
  const dir = join(ROOT, 'bench', '.cache');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `fleet-${size}.json`);
  if (!existsSync(file)) writeFleet(file, opts);
  return file;
}

interface Timing {
  ms: number;
  findings: number;
}

interface Row {
  rule: string;
  /** Evaluation of `count(findings)`: the rule's work without serialising its findings out of WASM. */
  eval: Timing;
  /** Evaluation of the `findings` entrypoint itself (what the engine pays: work + result transfer). */
  full: Timing;
}

const PROBE = 'vaultproof.profile_probe';

/** A scratch package: `c<i> := count(<rule>.findings)` per rule, the aggregate's count, and a no-op. */
function probeRego(rules: string[]): string {
  const lines = [`package ${PROBE}`, '', 'import rego.v1', '', 'noop := 0', '', `aggregate := sum([count(g.findings) | some g in data.vaultproof.main.findings])`, ''];
  rules.forEach((p, i) => lines.push(`c${i} := count(data.${p}.findings)`));
  return lines.join('\n') + '\n';
}

/** sha256 over the aggregate's findings of every shard, each as JSON, sorted: equal digests = equal findings. */
function findingsDigest(policy: LoadedPolicy, inputs: Array<{ bytes: ArrayBuffer }>): string {
  const lines: string[] = [];
  for (const s of inputs) {
    const result = (policy.evaluate(s.bytes, AGGREGATE) as Array<{ result: RuleFindings[] }>)[0]?.result ?? [];
    for (const f of flattenFindings(result)) lines.push(JSON.stringify(f));
  }
  return createHash('sha256').update(lines.sort().join('\n')).digest('hex');
}

function firstVaults(file: string, count: number): Snapshot {
  const source = openSnapshotFile(file);
  try {
    return { ...source.head, vaults: Object.fromEntries(source.vaultIds.slice(0, count).map((id) => [id, source.readVault(id)])) } as Snapshot;
  } finally {
    source.close();
  }
}

async function main(): Promise<void> {
  const size = arg('size') ?? '10k';
  const rounds = Number(arg('rounds') ?? '1');
  const only = arg('only');
  const opa = findOpa();
  const rules = rulePackages().filter((p) => !only || p.includes(only));
  const ep = (pkg: string, name: string) => `${pkg.replaceAll('.', '/')}/${name}`;
  // --extra a/b/c,d/e: further entrypoints to time (e.g. from a --rego scratch package).
  const extra = (arg('extra') ?? '').split(',').filter(Boolean);
  const t0 = Date.now();
  const scratch = mkdtempSync(join(tmpdir(), 'vaultproof-probe-'));
  let wasm: Uint8Array;
  try {
    const probeFile = join(scratch, 'probe.rego');
    writeFileSync(probeFile, probeRego(rules));
    const entrypoints = [ENTRYPOINT, AGGREGATE, ep(PROBE, 'noop'), ep(PROBE, 'aggregate'), ...rules.map((p) => ep(p, 'findings')), ...rules.map((_, i) => ep(PROBE, `c${i}`)), ...extra];
    // --rego FILE[,FILE]: scratch packages compiled alongside (e.g. one exposing a lib rule as a value).
    wasm = buildWasm(opa, entrypoints, [probeFile, ...(arg('rego') ?? '').split(',').filter(Boolean)]);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  // --fleet FILE --vaults N: the first N vaults of any snapshot file (read vault by vault, so a 1M fleet works).
  const fleet = arg('fleet');
  const snapshot = fleet ? firstVaults(fleet, Number(arg('vaults') ?? Infinity)) : (JSON.parse(readFileSync(fleetFile(size), 'utf8')) as Snapshot);
  const vaultInputs = [...vaultShards(snapshot)];
  const objects = Object.values(snapshot.vaults).reduce((n, v) => n + Object.keys(v.objects).length, 0);
  const defaults = JSON.parse(readFileSync(join(POLICIES, 'data', 'defaults.json'), 'utf8'));
  const policy = await loadPolicy(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer, { ...WASM_MEMORY });
  policy.setData({ config: defaults });
  // The fleet input carries the vault shards' grant_types, as in the engine.
  const grantTypes: GrantTypes = {};
  for (const s of vaultInputs) {
    const value = (policy.evaluate(s.bytes, ENTRYPOINT) as Array<{ result: unknown }>)[0]?.result;
    mergeGrantTypes(grantTypes, checkResult(value, s.id).grantTypes, s.id);
  }
  const inputs = [...vaultInputs, fleetInput(snapshot, grantTypes)];
  console.error(`profile: ${size} fleet, ${inputs.length} shards, ${objects} objects, ${rules.length} rules, built+loaded in ${Date.now() - t0} ms`);

  // Best of `rounds` over all shards; findings = result elements (or the counts, for the probes).
  const time = (entrypoint: string): Timing => {
    let best = Infinity;
    let findings = 0;
    for (let r = 0; r < rounds; r++) {
      let n = 0;
      const start = process.hrtime.bigint();
      for (const s of inputs) {
        const result = (policy.evaluate(s.bytes, entrypoint) as Array<{ result: unknown }>)[0]?.result;
        n += Array.isArray(result) ? (entrypoint === AGGREGATE ? flattenFindings(result as RuleFindings[]).length : result.length) : typeof result === 'number' ? result : result && typeof result === 'object' ? Object.keys(result).length : 0;
      }
      best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
      findings = n;
    }
    return { ms: best, findings };
  };

  time(AGGREGATE); // warm-up: the first large evaluation grows the WASM memory
  const base = time(ep(PROBE, 'noop'));
  const rows: Row[] = rules.map((p, i) => ({ rule: p.replace(/^vaultproof\.rules\./, '').replace('.', '/'), eval: time(ep(PROBE, `c${i}`)), full: time(ep(p, 'findings')) }));
  rows.sort((a, b) => b.eval.ms - a.eval.ms);
  const aggEval = time(ep(PROBE, 'aggregate'));
  const aggregate = time(AGGREGATE);
  const digest = findingsDigest(policy, inputs);
  const extras = extra.map((e) => ({ entrypoint: e, ...time(e) }));
  const work = (t: Timing) => t.ms - base.ms;
  const sum = rows.reduce((s, r) => s + work(r.eval), 0);
  const f1 = (x: number) => x.toFixed(1);
  console.log(`Per-rule cost over ${inputs.length} shards (${objects} objects); eval = count(findings) minus the no-op entrypoint (input load, ${f1(base.ms)} ms); full = the findings entrypoint, result transfer included.\n`);
  console.log('| rule package | eval ms | % of sum | full ms | findings |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.rule} | ${f1(work(r.eval))} | ${f1((100 * work(r.eval)) / sum)} | ${f1(r.full.ms)} | ${r.full.findings} |`);
  console.log(`| (sum of rules) | ${f1(sum)} | 100.0 | ${f1(rows.reduce((s, r) => s + r.full.ms, 0))} | ${rows.reduce((s, r) => s + r.full.findings, 0)} |`);
  console.log(`| **${AGGREGATE}** | **${f1(work(aggEval))}** | - | **${f1(aggregate.ms)}** | ${aggregate.findings} |`);
  for (const e of extras) console.log(`| ${e.entrypoint} | ${f1(work(e))} | - | - | ${e.findings} |`);
  console.log(`\naggregate: ${aggregate.ms.toFixed(0)} ms for ${objects} objects = ${((1000 * aggregate.ms) / objects).toFixed(1)} µs/object (input load ${base.ms.toFixed(0)} ms, evaluation ${work(aggEval).toFixed(0)} ms, result transfer ${(aggregate.ms - aggEval.ms).toFixed(0)} ms); ${aggregate.findings} findings`);
  console.log(`findings digest (sha256 of the sorted aggregate findings, to compare runs): ${digest}`);
  const json = arg('json');
  if (json) writeFileSync(json, JSON.stringify({ size, objects, shards: inputs.length, rounds, base, rows, aggregateEval: aggEval, aggregate, extras, digest }, null, 2));
}

main().catch((e: unknown) => {
  console.error(`profile-rules: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
