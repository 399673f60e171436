#!/usr/bin/env node
// Golden outputs of every user-facing command on every fixture (issue 18: "the output of every
// command on every fixture is byte-identical to before"). Each case runs the built CLI of a checkout,
// and records exit code, stdout, stderr and every file the command wrote, as sha256 and size.
//
//   node test/golden/run-cases.mjs [--root DIR] [--write] [--keep DIR]
//
// --root   the checkout whose bin/vaultproof.js runs (default: this one); it must be built
// --write  write test/golden/expected.json (do this on purpose, on the commit whose output is the
//          reference, and say why in the commit message)
// --keep   keep every case's raw outputs under DIR (to diff two checkouts' outputs byte by byte)
// Without --write it prints the digests as JSON on stdout; test/golden/golden.test.ts compares them.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const root = resolve(opt('--root') ?? repo);
const keep = opt('--keep');

// Some outputs hold the absolute paths of their inputs inside signed or digested files (event
// source ids in findings, and so the pack's manifest and signature), which no text substitution can
// undo. So every case runs in one fixed workspace, with the fixtures copied into it: the same bytes
// from any checkout path. One run at a time holds it (a lock directory; a dead holder's is taken).
const WORK = join(tmpdir(), 'vaultproof-golden');
const LOCK = `${WORK}.lock`;
function lock() {
  const until = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let holder = NaN;
      try { holder = Number(readFileSync(join(LOCK, 'pid'), 'utf8')); } catch { /* being written */ }
      let alive = true;
      if (Number.isInteger(holder) && holder > 0) { try { process.kill(holder, 0); } catch (k) { alive = k.code === 'EPERM'; } }
      if (!alive) { rmSync(LOCK, { recursive: true, force: true }); continue; }
      if (Date.now() > until) throw new Error(`${LOCK} held by pid ${holder} for 15 minutes`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    }
  }
}
lock();
process.on('exit', () => rmSync(LOCK, { recursive: true, force: true }));
rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });
for (const [from, to] of [
  ['fixtures/demo', 'demo'],
  ['test/fixtures/evidence', 'fixtures/evidence'],
  ['test/fixtures/snapshots', 'fixtures/snapshots'],
  ['test/fixtures/events', 'fixtures/events'],
  ['test/golden/keys', 'golden/keys'],
  ['test/golden/events.yaml', 'golden/events.yaml'],
  ['test/golden/events-snapshot.json', 'golden/events-snapshot.json'],
]) cpSync(join(repo, from), join(WORK, to), { recursive: true });
const DEMO = join(WORK, 'demo/snapshot.json');
const PREV = join(WORK, 'demo/snapshot-previous.json');
const EVIDENCE = join(WORK, 'fixtures/evidence');
const SNAPS = join(WORK, 'fixtures/snapshots');
const GOLDEN = join(WORK, 'golden');
const KEY = join(GOLDEN, 'keys/golden.key');

// Every case: name, argv (with {out} = the case's scratch directory), optional stdin file.
const formats = ['table', 'json', 'sarif', 'junit', 'ocsf', 'cef'];
const cases = [
  ['rules-table', ['rules']],
  ['rules-json', ['rules', '--format', 'json']],
  ['explain-VP-ROT-001', ['explain', 'VP-ROT-001']],
  ['explain-VP-ACC-001', ['explain', 'VP-ACC-001']],
  ['explain-VP-REV-001', ['explain', 'VP-REV-001']],
  ['explain-unknown', ['explain', 'VP-NOPE-999']],
  ...formats.map((f) => [`evaluate-demo-${f}`, ['evaluate', DEMO, '--format', f]]),
  ...formats.map((f) => [`evaluate-previous-${f}`, ['evaluate', PREV, '--format', f]]),
  ['evaluate-demo-only-failures', ['evaluate', DEMO, '--format', 'json', '--only-failures']],
  ['evaluate-demo-fail-on-low', ['evaluate', DEMO, '--fail-on', 'low']],
  ['evaluate-demo-allow-errors', ['evaluate', DEMO, '--allow-errors', '--allow-incomplete']],
  ['evaluate-demo-out', ['evaluate', DEMO, '--format', 'sarif', '--out', '{out}/demo.sarif']],
  ['evaluate-demo-baseline', ['evaluate', DEMO, '--format', 'json', '--baseline', '{out}/../evaluate-previous-json/stdout']],
  ['evaluate-demo-baseline-new', ['evaluate', DEMO, '--baseline', '{out}/../evaluate-previous-json/stdout', '--fail-on-new']],
  ['evaluate-evidence-fixture-json', ['evaluate', join(EVIDENCE, 'snapshot.json'), '--format', 'json']],
  ['evaluate-events-json', ['evaluate', join(GOLDEN, 'events-snapshot.json'), '--format', 'json', '--events', '--config', join(GOLDEN, 'events.yaml')]],
  ['evaluate-events-sarif', ['evaluate', join(GOLDEN, 'events-snapshot.json'), '--format', 'sarif', '--events', '--config', join(GOLDEN, 'events.yaml')]],
  ...formats.map((f) => [`evaluate-boundaries-${f}`, ['evaluate', join(SNAPS, 'boundaries.json'), '--format', f]]),
  ...formats.map((f) => [`evaluate-incomplete-${f}`, ['evaluate', join(SNAPS, 'incomplete-scan.json'), '--format', f]]),
  ['scan-demo', ['scan', '--demo']],
  ['scan-demo-json', ['scan', '--demo', '--format', 'json']],
  ['scan-demo-junit', ['scan', '--demo', '--format', 'junit']],
  ['evaluate-demo-pack', ['evaluate', DEMO, '--format', 'json', '--out', '{out}/findings.json', '--evidence-pack', '{out}/pack', '--sign', `ed25519:${KEY}`]],
  ['verify-demo-pack', ['verify', '{out}/../evaluate-demo-pack/pack', '--key', `${KEY}.pub`]],
  ['render-pack', ['render', 'evidence-pack', '{out}/../evaluate-demo-pack/findings.json', '--snapshot', DEMO, '--out', '{out}/rendered', '--sign', `ed25519:${KEY}`]],
  ['review-demo-json', ['review', '--demo', '--format', 'json']],
  ['review-demo-csv', ['review', '--demo', '--format', 'csv']],
  ['review-demo-html', ['review', '--demo', '--format', 'html']],
  ['review-demo-out-dir', ['review', '--demo', '--out-dir', '{out}/review']],
  ['review-previous-snapshot', ['review', '--snapshot', PREV, '--format', 'json']],
  ['review-with-previous', ['review', '--demo', '--previous', '{out}/../review-previous-snapshot/stdout', '--format', 'json']],
];

const scratch = join(WORK, 'run');
mkdirSync(scratch);
const env = {
  PATH: process.env.PATH,
  HOME: scratch,
  LANG: 'C.UTF-8',
  TZ: 'UTC',
  SOURCE_DATE_EPOCH: '1796083200', // 2026-12-01T00:00:00Z
  NO_COLOR: '1',
  VAULTPROOF_GOLDEN: '1',
};
const sha = (buf) => createHash('sha256').update(buf).digest('hex');
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
  e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]);
// The scratch path is random: outputs that name a path the caller gave get it as {out}.
// So are the checkout paths (fixtures and the checkout under test): they become {repo} and {root}.
const normalise = (buf) => Buffer.from(buf.toString('latin1').split(scratch).join('{scratch}')
  .split(root).join('{root}').split(repo).join('{repo}'), 'latin1');

const results = {};
for (const [name, argv] of cases) {
  const out = join(scratch, name);
  mkdirSync(out, { recursive: true });
  const real = argv.map((a) => a.replaceAll('{out}', out));
  const run = spawnSync(process.execPath, [join(root, 'bin/vaultproof.js'), ...real], {
    cwd: out, env, maxBuffer: 512 * 1024 * 1024,
  });
  writeFileSync(join(out, 'stdout'), run.stdout);
  const record = { exit: run.status, signal: run.signal ?? undefined, files: {} };
  record.files.stdout = { sha256: sha(normalise(run.stdout)), bytes: run.stdout.length };
  record.files.stderr = { sha256: sha(normalise(run.stderr)), bytes: run.stderr.length };
  for (const file of walk(out).sort()) {
    const rel = relative(out, file);
    if (rel === 'stdout') continue;
    const body = normalise(readFileSync(file));
    record.files[rel] = { sha256: sha(body), bytes: statSync(file).size };
  }
  if (keep) {
    mkdirSync(join(keep, name), { recursive: true });
    cpSync(out, join(keep, name), { recursive: true });
    writeFileSync(join(keep, name, 'stderr'), run.stderr);
  }
  results[name] = record;
}
rmSync(WORK, { recursive: true, force: true });

const text = JSON.stringify(results, null, 2) + '\n';
if (args.includes('--write')) writeFileSync(join(here, 'expected.json'), text);
else process.stdout.write(text);
