/**
 * Fuzz suite (issue 21): every file vaultproof reads — snapshot (table and json paths), config,
 * waivers, event records, Vault audit log, and `verify`'s pack reader — mutated structurally and
 * byte by byte, run through the real CLI entry (`run(args, io)`, in-process). Each run must:
 * exit 0, 1, 2 or 3; on exit 2 print exactly one error line that names the input; finish within a
 * bound; keep the heap under a bound; leave Object.prototype untouched.
 *
 * CI (and `npm test`): the fixed seed 21 and 7 s per target (about 60 s in all on 2 cores).
 * `npm run fuzz`: 60 s per target and a new seed each run; VP_FUZZ_SECONDS, VP_FUZZ_SEED and
 * VP_FUZZ_RUNS override either.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { run } from '../../src/cli/main.js';
import { fleet, FIXTURES } from '../collectors/events/fleet.js';
import { fakeConsole } from '../support/fake-console.js';
import { requireBuiltBundle } from '../support/prerequisites.js';

/** `npm run fuzz`: a longer budget and, unless VP_FUZZ_SEED is set, a new seed each time (printed, to replay). */
const LONG = process.env.npm_lifecycle_event === 'fuzz';
const SEED = Number(process.env.VP_FUZZ_SEED ?? (LONG ? Date.now() % 2 ** 31 : 21));
/** Seconds of runs per target; the runs are capped by RUNS too. */
const SECONDS = Number(process.env.VP_FUZZ_SECONDS ?? (LONG ? 60 : 7));
if (LONG) process.stderr.write(`fuzz: seed ${SEED} (replay with VP_FUZZ_SEED=${SEED} npm run fuzz), ${SECONDS} s per target\n`);
const RUNS = Number(process.env.VP_FUZZ_RUNS ?? 100_000);
/** No single run may take longer (a blocked read, a runaway parse). */
const HANG_MS = 20_000;
/** Heap after a run (a bomb inflating, a string repeated). */
const HEAP_BYTES = 1.5 * 1024 ** 3;

/** Per test: the time budget, plus the slowest single run. */
const TEST_TIMEOUT = (SECONDS + HANG_MS / 1000 + 30) * 1000;

/** Process warnings during a run (e.g. YAML stringifying a complex key) would be extra stderr lines. */
const warnings: string[] = [];
process.on('warning', (w) => warnings.push(`${w.name}: ${w.message}`));

const prototypeNames = () => Object.getOwnPropertyNames(Object.prototype).sort().join(',');
const PROTO_BEFORE = prototypeNames();

let work: string;
let snapshotFile: string;
let packDir: string;
let packTgz: string;
let counter = 0;
const fresh = (name: string) => join(work, `${counter++}-${name}`);

beforeAll(async () => {
  requireBuiltBundle();
  work = mkdtempSync(join(tmpdir(), 'vp-fuzz-'));
  snapshotFile = join(work, 'snapshot.json');
  writeFileSync(snapshotFile, JSON.stringify(fleet(), null, 1));
  const keys = join(work, 'keys');
  expect(await run(['keygen', keys], fakeConsole())).toBe(0);
  packDir = join(work, 'pack');
  const code = await run(['scan', '--snapshot', snapshotFile, '-f', 'json', '-o', join(work, 'f.json'), '--allow-incomplete', '--evidence-pack', packDir, '--tar-gz', '--sign', `ed25519:${join(keys, 'evidence-signing.key')}`], fakeConsole());
  expect([0, 1, 3]).toContain(code);
  packTgz = `${packDir}.tar.gz`;
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the CLI and checks the invariants; `input` is the file the error line must name. */
async function check(args: string[], input: string): Promise<void> {
  const io = fakeConsole();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`hang: ${args.join(' ')}`)), HANG_MS)));
  let code: number;
  try {
    code = await Promise.race([run(args, io), hang]);
  } finally {
    clearTimeout(timer);
  }
  if (warnings.length) throw new Error(`process warning during ${args.join(' ')}: ${warnings.splice(0).join('; ')}`);
  if (![0, 1, 2, 3].includes(code)) throw new Error(`exit ${code} for ${args.join(' ')}`);
  // `verify` reports on stdout, one check per line, ending "NOT VERIFIED: PACK (exit N)".
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u202e]/.test(io.stdout + io.stderr)) throw new Error(`raw control character in the output of ${args.join(' ')}`);
  if (code === 2 && args[0] === 'verify' && io.stderr === '') {
    if (!io.stdout.trimEnd().endsWith(`NOT VERIFIED: ${input} (exit 2)`)) throw new Error(`verify report not naming ${input}:\n${io.stdout.slice(0, 2000)}`);
  } else if (code === 2) {
    const lines = io.stderr.trimEnd().split('\n').filter((l) => l.includes('error'));
    if (lines.length !== 1 || !lines[0]!.includes(input) || /internal error|call stack|out of bounds/i.test(lines[0]!)) {
      throw new Error(`not one line naming ${input}:\n${io.stderr.slice(0, 2000)}`);
    }
  }
  if (process.memoryUsage().heapUsed > HEAP_BYTES) throw new Error(`heap ${process.memoryUsage().heapUsed} after ${args.join(' ')}`);
  if (prototypeNames() !== PROTO_BEFORE || ({} as Record<string, unknown>).polluted !== undefined) throw new Error('Object.prototype was polluted');
}

const params = <T>(): fc.Parameters<T> => ({ seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: SECONDS * 1000, markInterruptAsFailure: false, endOnFailure: true });

// ---------------------------------------------------------------------------------------------------
// Mutations.

const HOSTILE_BYTES = ['"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\n', '\u0000', '\u001b', '\u202e', '\ufeff', '0', '-', 'e', '.', '&', '*', '!', '#', '|', '>', '\t', '\udc00', 'é'];
const byteOp = fc.record({ op: fc.constantFrom('insert', 'delete', 'replace', 'truncate'), at: fc.nat(), what: fc.constantFrom(...HOSTILE_BYTES) });

function byteMutate(text: Buffer, ops: Array<{ op: string; at: number; what: string }>): Buffer {
  let b = text;
  for (const { op, at, what } of ops) {
    if (b.length === 0) break;
    const i = at % b.length;
    const w = Buffer.from(what);
    if (op === 'insert') b = Buffer.concat([b.subarray(0, i), w, b.subarray(i)]);
    else if (op === 'delete') b = Buffer.concat([b.subarray(0, i), b.subarray(i + 1)]);
    else if (op === 'replace') b = Buffer.concat([b.subarray(0, i), w, b.subarray(i + 1)]);
    else b = b.subarray(0, i);
  }
  return b;
}

/** Values that probe the bounds: huge and odd numbers, long and hostile strings, nesting, prototype names. */
const HOSTILE_JSON_VALUES = [
  '1e300', '-1e300', '2147483648', '9007199254740993', '-1', '0.5', '1e-400', 'null', 'true', '{}', '[]', '""',
  '"__proto__"', '"constructor"', JSON.stringify('\u001b[2J\u0007\u202eexe.txt'), JSON.stringify('x'.repeat(70_000)),
  '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', '['.repeat(300) + ']'.repeat(300),
  '{"a":1,"a":2}', '"2026-11-29T00:00:00Z"',
];
const jsonOp = fc.record({ kind: fc.constantFrom('value', 'duplicate', 'proto-key'), at: fc.nat(), value: fc.constantFrom(...HOSTILE_JSON_VALUES) });

/** Structured JSON mutation at a text position: replace a value, duplicate a member, or rename it `__proto__`. */
function jsonMutate(text: string, ops: Array<{ kind: string; at: number; value: string }>): string {
  let t = text;
  for (const { kind, at, value } of ops) {
    const members = [...t.matchAll(/"((?:[^"\\]|\\.)*)"\s*:\s*/g)];
    if (members.length === 0) break;
    const m = members[at % members.length]!;
    const start = m.index! + m[0].length;
    if (kind === 'value') {
      const end = valueEnd(t, start);
      t = t.slice(0, start) + value + t.slice(end);
    } else if (kind === 'duplicate') {
      const end = valueEnd(t, start);
      t = t.slice(0, m.index!) + `${m[0]}${value}, ` + t.slice(m.index!, end) + t.slice(end);
    } else {
      t = t.slice(0, m.index!) + '"__proto__": ' + t.slice(start);
    }
  }
  return t;
}

/** End of the JSON value starting at `i` (a small bracket/string matcher; good enough for valid input). */
function valueEnd(t: string, i: number): number {
  let depth = 0;
  for (let j = i; j < t.length; j++) {
    const c = t[j]!;
    if (c === '"') {
      j++;
      while (j < t.length && t[j] !== '"') j += t[j] === '\\' ? 2 : 1;
      if (depth === 0) return j + 1;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (depth === 0) return j;
      if (--depth === 0) return j + 1;
    } else if (depth === 0 && (c === ',' || c === '\n')) return j;
  }
  return t.length;
}

const HOSTILE_YAML_LINES = [
  '__proto__: {polluted: true}', 'constructor: {prototype: {polluted: true}}', 'version: 1', 'version: 2', 'thresholds: {rotation_days: 1e400}',
  'x: &a [1,2,3,4,5,6,7,8,9]\ny: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nz: [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'deep: ' + '['.repeat(2000) + ']'.repeat(2000), 'big: 2147483648', 'neg: -1', 'name: "\u001b[2J\u202e"', 'waivers: 12', '!!binary x: y',
  'key: !!js/function "function(){}"', '? [a, b]\n: c', 'dup: 1\ndup: 2', '  - rule: VP-ROT-001', 'expires: 9999-99-99', 'events: {sources: [{kind: records, path: /dev/zero}]}',
];
const yamlOp = fc.record({ at: fc.nat(), line: fc.constantFrom(...HOSTILE_YAML_LINES) });

function yamlMutate(text: string, ops: Array<{ at: number; line: string }>): string {
  const lines = text.split('\n');
  for (const { at, line } of ops) lines.splice(at % (lines.length + 1), 0, line);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Targets.

describe('fuzz: every input reader through the CLI (issue 21)', () => {
  it('snapshot (table and json paths): structured and byte-level mutations', async () => {
    const base = readFileSync(snapshotFile, 'utf8');
    await fc.assert(
      fc.asyncProperty(fc.array(jsonOp, { maxLength: 3 }), fc.array(byteOp, { maxLength: 2 }), fc.constantFrom('table', 'json'), async (ops, bytes, format) => {
        const f = fresh('snapshot.json');
        writeFileSync(f, byteMutate(Buffer.from(jsonMutate(base, ops)), bytes));
        await check(['evaluate', '-f', format, f], f);
      }),
      params(),
    );
  }, TEST_TIMEOUT);

  it('config (vaultproof.yaml)', async () => {
    const base = `version: 1\nthresholds:\n  rotation_days: 90\nclassification:\n  default: internal\n`;
    await fc.assert(
      fc.asyncProperty(fc.array(yamlOp, { maxLength: 3 }), fc.array(byteOp, { maxLength: 2 }), async (ops, bytes) => {
        const f = fresh('vaultproof.yaml');
        writeFileSync(f, byteMutate(Buffer.from(yamlMutate(base, ops)), bytes));
        await check(['evaluate', '-f', 'json', '--config', f, snapshotFile], f);
      }),
      params(),
    );
  }, TEST_TIMEOUT);

  it('waivers', async () => {
    const base = `version: 1\nwaivers:\n  - rule: VP-ROT-001\n    resource: "*gw-cert"\n    reason: "CA migration blocks renewal until January"\n    approved_by: ["alice@example.com", "bob@example.com"]\n    expires: 2027-01-15\n`;
    await fc.assert(
      fc.asyncProperty(fc.array(yamlOp, { maxLength: 3 }), fc.array(byteOp, { maxLength: 2 }), async (ops, bytes) => {
        const f = fresh('waivers.yaml');
        writeFileSync(f, byteMutate(Buffer.from(yamlMutate(base, ops)), bytes));
        await check(['evaluate', '-f', 'json', '--waivers', f, snapshotFile], f);
      }),
      params(),
    );
  }, TEST_TIMEOUT);

  it('event records and the Vault audit log (evaluate --events)', async () => {
    const records = readFileSync(join(FIXTURES, 'records.jsonl'), 'utf8');
    const audit = readFileSync(join(FIXTURES, 'vault-a-audit.log'), 'utf8');
    await fc.assert(
      fc.asyncProperty(fc.array(jsonOp, { maxLength: 3 }), fc.array(byteOp, { maxLength: 3 }), fc.boolean(), async (ops, bytes, mutateAudit) => {
        const dir = fresh('events');
        mkdirSync(dir);
        const rec = join(dir, 'records.jsonl');
        const log = join(dir, 'audit.log');
        writeFileSync(rec, mutateAudit ? records : byteMutate(Buffer.from(jsonMutate(records, ops)), bytes));
        writeFileSync(log, mutateAudit ? byteMutate(Buffer.from(jsonMutate(audit, ops)), bytes) : audit);
        const config = join(dir, 'vaultproof.yaml');
        writeFileSync(config, `version: 1\nevents:\n  window_days: 31\n  sources:\n    - { kind: vault-audit, path: ${log}, vault: vault-a }\n    - { kind: records, path: ${rec}, covers: ["*"] }\n`);
        await check(['evaluate', '-f', 'json', '--allow-incomplete', '--events', '--config', config, snapshotFile], mutateAudit ? log : rec);
      }),
      params(),
    );
  }, TEST_TIMEOUT);

  it("verify's pack reader: the tar.gz byte by byte, the directory's manifest structurally", async () => {
    const tgz = readFileSync(packTgz);
    const manifest = readFileSync(join(packDir, 'manifest.json'), 'utf8');
    await fc.assert(
      fc.asyncProperty(fc.array(byteOp, { minLength: 1, maxLength: 3 }), fc.array(jsonOp, { maxLength: 2 }), fc.boolean(), async (bytes, ops, asTar) => {
        if (asTar) {
          const f = fresh('pack.tar.gz');
          writeFileSync(f, byteMutate(tgz, bytes));
          await check(['verify', f], f);
        } else {
          const dir = fresh('pack');
          mkdirSync(dir);
          for (const name of ['index.html', 'summary.md', 'findings.json', 'snapshot.json', 'rules.json', 'waivers.json', 'manifest.dsse.json']) {
            try {
              writeFileSync(join(dir, name), readFileSync(join(packDir, name)));
            } catch {
              // not every pack holds every file
            }
          }
          writeFileSync(join(dir, 'manifest.json'), byteMutate(Buffer.from(jsonMutate(manifest, ops)), bytes.slice(0, 1)));
          await check(['verify', dir], dir);
        }
      }),
      params(),
    );
  }, TEST_TIMEOUT);
});
