/**
 * Issue 21, flags that do what --help says: every verb's `--help` is walked (the options parsed out
 * of commander's help) and every option it lists is run and shown to have an observable effect, or to
 * be refused with exit 2 where it cannot apply. An option missing from the table below fails the test:
 * a new option must say what it does here. (`evaluate` once listed the pack options, --events and
 * --config and ignored them.)
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { parse, stringify } from 'yaml';
import { DEMO_SNAPSHOT, run } from '../../src/cli/main.js';
import type { FindingsDocument } from '../../src/findings/types.js';
import { chromiumPath } from '../../src/evidence/pdf.js';

const CHROMIUM_PATH = chromiumPath(process.env);
import { ledgerPathFor } from '../../src/ledger/index.js';
import { PACKAGE_ROOT, TOOL_VERSION } from '../../src/version.js';
import { FIXTURES as EVENT_FIXTURES } from '../collectors/events/fleet.js';
import { fakeConsole } from '../support/fake-console.js';
import { requireBuiltBundle } from '../support/prerequisites.js';
import { SCANNER_TOKEN, seedPrimary, seedSecondary } from '../support/vault-test-server/fixture.js';
import { startVaultTestServer, type VaultTestServer } from '../support/vault-test-server/server.js';

const DEMO_PREVIOUS = join(PACKAGE_ROOT, 'fixtures', 'demo', 'snapshot-previous.json');
const DEMO_SCAN_ID = (JSON.parse(readFileSync(DEMO_SNAPSHOT, 'utf8')) as { scan_id: string }).scan_id;
const PREVIOUS_SCAN_ID = (JSON.parse(readFileSync(DEMO_PREVIOUS, 'utf8')) as { scan_id: string }).scan_id;

let work: string;
let key: string;
let pub: string;
let config: string;
let eventsConfig: string;
let waivers: string;
let baseline: string;
let liveConfig: string;
/** The same estate as two independent clusters (no replication link), so that it splits into shards. */
let shardConfig: string;
let servers: VaultTestServer[] = [];
let n = 0;
const fresh = (name: string) => join(work, `${name}-${++n}`);

beforeAll(async () => {
  requireBuiltBundle();
  work = mkdtempSync(join(tmpdir(), 'vp-options-walk-'));
  expect(await run(['keygen', join(work, 'keys')], fakeConsole())).toBe(0);
  key = `ed25519:${join(work, 'keys', 'evidence-signing.key')}`;
  pub = join(work, 'keys', 'evidence-signing.pub');
  config = join(work, 'plain.yaml');
  writeFileSync(config, 'version: 1\n');
  eventsConfig = join(work, 'events.yaml');
  writeFileSync(eventsConfig, stringify({ version: 1, events: { window_days: 31, sources: [{ kind: 'records', path: join(EVENT_FIXTURES, 'records.jsonl'), covers: ['*'] }] } }));
  baseline = join(work, 'baseline.json');
  expect(await run(['evaluate', DEMO_SNAPSHOT, '-f', 'json', '-o', baseline], fakeConsole())).toBe(3);
  const doc = JSON.parse(readFileSync(baseline, 'utf8')) as FindingsDocument;
  const failing = doc.findings.find((f) => f.status === 'fail' && f.severity !== 'critical')!;
  const expires = new Date(Date.parse(doc.scan.now) + 30 * 86_400_000).toISOString().slice(0, 10);
  waivers = join(work, 'waivers.yaml');
  writeFileSync(waivers, stringify({ version: 1, waivers: [{ rule: failing.rule_id, resource: failing.resource.id ?? failing.resource.vault, reason: 'accepted until the migration completes', approved_by: ['ciso@example.test'], expires }] }));

  // A live estate for collect and scan --config: the Vault test servers, as scan-vault-config.test.ts uses them.
  const now = Math.floor(Date.now() / 1000);
  const secondary = await startVaultTestServer(seedSecondary(1490).state);
  const primary = await startVaultTestServer(seedPrimary({ edition: 'enterprise', secondaryAddress: secondary.url, now }).state);
  servers = [primary, secondary];
  process.env.VP_TEST_VAULT_TOKEN = SCANNER_TOKEN;
  const example = parse(readFileSync(join(PACKAGE_ROOT, 'examples', 'vault.yaml'), 'utf8')) as { regions_in_scope: string[]; hashicorp: Array<Record<string, unknown>> };
  const [east, west] = example.hashicorp as [Record<string, unknown>, Record<string, unknown>];
  Object.assign(east, { address: primary.url, auth: { method: 'token', token_env: 'VP_TEST_VAULT_TOKEN' }, timeout_seconds: 5 });
  Object.assign(west, { address: secondary.url, auth: { method: 'token', token_env: 'VP_TEST_VAULT_TOKEN' }, timeout_seconds: 5 });
  example.regions_in_scope = [east.region as string];
  liveConfig = join(work, 'vault.yaml');
  writeFileSync(liveConfig, stringify(example));
  delete east.replicates_to;
  shardConfig = join(work, 'vault-shards.yaml');
  writeFileSync(shardConfig, stringify(example));
}, 60_000);

afterAll(async () => {
  delete process.env.VP_TEST_VAULT_TOKEN;
  await Promise.all(servers.map((s) => s.close()));
  rmSync(work, { recursive: true, force: true });
});

async function cli(...args: string[]) {
  const io = fakeConsole();
  const code = await run(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** The CLI run from another working directory (where ./vaultproof.yaml is looked for and init writes). */
async function cliIn(cwd: string, ...args: string[]) {
  const io = fakeConsole();
  const code = await run(args, io, {}, { cwd });
  return { code, stdout: io.stdout, stderr: io.stderr };
}

function findings(text: string): FindingsDocument {
  return JSON.parse(text) as FindingsDocument;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { previous: { manifest_sha256: string } | null };

/** stderr written straight to the process (collection progress) while `fn` runs. */
async function processStderr(fn: () => Promise<unknown>): Promise<string> {
  let text = '';
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return text;
}

type Check = () => Promise<void>;

/** Pack options: `pack(dir, ...more)` runs the verb writing a pack to dir; `refuseWithoutPack` runs it without one. */
function packChecks(pack: (dir: string, ...more: string[]) => Promise<{ code: number; stderr: string }>, okCode: number, withoutPack?: (...more: string[]) => Promise<{ code: number; stderr: string }>): Record<string, Check> {
  const refused = async (option: string[]) => {
    if (!withoutPack) return;
    const r = await withoutPack(...option);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${option[0]}: only applies with --evidence-pack DIR`);
  };
  return {
    '--sign': async () => {
      const dir = fresh('pack');
      expect((await pack(dir)).code).toBe(okCode);
      expect((await cli('verify', dir, '--key', pub)).code).toBe(0);
      await refused(['--sign', key]);
    },
    '--previous': async () => {
      const first = fresh('pack');
      const second = fresh('pack');
      expect((await pack(first)).code).toBe(okCode);
      expect((await pack(second, '--previous', first)).code).toBe(okCode);
      expect(manifestOf(second).previous?.manifest_sha256).toBe(sha256(join(first, 'manifest.json')));
      await refused(['--previous', first]);
    },
    '--tar-gz': async () => {
      const dir = fresh('pack');
      expect((await pack(dir, '--tar-gz')).code).toBe(okCode);
      expect(existsSync(`${dir}.tar.gz`)).toBe(true);
      await refused(['--tar-gz']);
    },
    '--pdf': async () => {
      const dir = fresh('pack');
      const r = await pack(dir, '--pdf');
      if (existsSync(CHROMIUM_PATH)) {
        expect(r.code).toBe(okCode);
        expect(readFileSync(`${dir}.pdf`).subarray(0, 5).toString()).toBe('%PDF-');
      } else {
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('--pdf: needs Chromium');
      }
      await refused(['--pdf']);
    },
    '--overwrite': async () => {
      const dir = fresh('pack');
      mkdirSync(dir);
      writeFileSync(join(dir, 'old.txt'), 'x');
      expect((await pack(dir)).code).toBe(2);
      expect((await pack(dir, '--overwrite')).code).toBe(okCode);
      expect(readdirSync(dir)).toContain('manifest.json');
      expect(readdirSync(dir)).not.toContain('old.txt');
    },
  };
}

/** The options `evaluate` and `scan` share, run from `verb` (e.g. ['evaluate', DEMO]). */
function outputChecks(verb: string[]): Record<string, Check> {
  const json = (...more: string[]) => cli(...verb, '-f', 'json', ...more);
  const base = async () => findings((await json()).stdout);
  return {
    '--evidence-pack': async () => {
      const dir = fresh('pack');
      const r = await cli(...verb, '--evidence-pack', dir, '--sign', key, '-f', 'json', '-o', fresh('findings'));
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`evidence pack: ${dir}`);
      expect(readdirSync(dir)).toEqual(expect.arrayContaining(['manifest.json', 'manifest.dsse.json', 'findings.json', 'index.html']));
    },
    ...packChecks((dir, ...more) => cli(...verb, '--evidence-pack', dir, '--sign', key, '-f', 'json', '-o', fresh('findings'), ...more), 3, (...more) => cli(...verb, ...more)),
    '--format': async () => {
      const r = await json();
      expect(findings(r.stdout).schema_version).toBeDefined();
      expect((await cli(...verb, '--format', 'sarif')).stdout).toContain('"$schema"');
    },
    '--out': async () => {
      const out = fresh('findings');
      const r = await cli(...verb, '-f', 'json', '--out', out);
      expect(findings(readFileSync(out, 'utf8')).scan.id).toBeDefined();
      expect(r.stdout.trim().split('\n')).toHaveLength(1);
    },
    '--fail-on': async () => {
      expect((await cli(...verb, '--fail-on', 'critical')).code).toBe(1);
      expect((await cli(...verb)).code).toBe(3);
    },
    '--allow-incomplete': async () => expect((await cli(...verb, '--allow-incomplete')).code).toBe(1),
    '--allow-errors': async () => expect((await cli(...verb, '--allow-errors')).code).toBe(1),
    '--only-failures': async () => {
      expect((await base()).findings.some((f) => f.status === 'pass')).toBe(true);
      const doc = findings((await json('--only-failures')).stdout);
      expect(doc.findings.length).toBeGreaterThan(0);
      expect(doc.findings.some((f) => f.status === 'pass')).toBe(false);
    },
    '--correlation-id': async () => expect(findings((await json('--correlation-id', 'walk-42')).stdout).scan.correlation_id).toBe('walk-42'),
    '--config': async () => expect(findings((await json('--config', config)).stdout).scan.config_sha256).toBe(sha256(config)),
    '--no-config': async () => {
      // ./vaultproof.yaml of the working directory applies unless --no-config (config-discovery.test.ts covers the rest).
      const dir = fresh('cwd');
      mkdirSync(dir);
      writeFileSync(join(dir, 'vaultproof.yaml'), 'version: 1\n');
      const found = await cliIn(dir, ...verb, '-f', 'json');
      const off = await cliIn(dir, ...verb, '-f', 'json', '--no-config');
      expect(findings(off.stdout).scan.config_sha256).toBeUndefined();
      if (verb.includes('--demo')) expect(found.stdout).toBe(off.stdout);
      else expect(findings(found.stdout).scan.config_sha256).toBe(sha256(join(dir, 'vaultproof.yaml')));
    },
    '--output': async () => {
      const sarif = fresh('r.sarif');
      const r = await json('--output', `sarif=${sarif}`);
      expect(findings(r.stdout).scan.id).toBeDefined();
      expect(readFileSync(sarif, 'utf8')).toBe((await cli(...verb, '--format', 'sarif')).stdout);
      expect((await cli(...verb, '--output', 'nope=x')).code).toBe(2);
    },
    '--severity': async () => {
      const doc = findings((await json('--severity', 'critical')).stdout);
      expect(doc.findings.length).toBeGreaterThan(0);
      expect(doc.findings.every((f) => f.severity === 'critical')).toBe(true);
      expect((await cli(...verb, '--severity', 'critical')).code).toBe(3);
    },
    '--waivers': async () => {
      const doc = findings((await json('--waivers', waivers)).stdout);
      expect(doc.summary.waived).toBe((await base()).summary.waived + 1);
    },
    '--baseline': async () => {
      const doc = findings((await json('--baseline', baseline)).stdout);
      expect(doc.summary.fixed).toBe(0);
      expect(doc.findings.filter((f) => f.status === 'fail').every((f) => f.baseline === 'unchanged')).toBe(true);
    },
    '--fail-on-new': async () => {
      expect((await cli(...verb, '--fail-on-new')).code).toBe(2);
      const plain = await json('--baseline', baseline);
      const onlyNew = await json('--baseline', baseline, '--fail-on-new');
      expect(onlyNew.stderr).not.toBe(plain.stderr);
    },
    '--siem-sink': async () => {
      const file = fresh('events.jsonl');
      await cli(...verb, '--siem-sink', `file:${file}`, '--spool-dir', fresh('spool'));
      expect(readFileSync(file, 'utf8').trimEnd().split('\n').length).toBeGreaterThan(2);
    },
    '--spool-dir': async () => {
      const spool = fresh('spool');
      const r = await cli(...verb, '--siem-sink', 'syslog+relp://127.0.0.1:1?timeout_ms=200', '--spool-dir', spool);
      expect(r.stderr).toMatch(/spooled [1-9]\d*/);
      expect(readdirSync(spool).length).toBeGreaterThan(0);
    },
    '--events': async () => {
      expect((await cli(...verb, '--events')).code).toBe(2);
      const doc = findings((await json('--events', '--config', eventsConfig)).stdout);
      // The demo snapshot carries events of its own; --events adds the config's sources as scopes of their own.
      const events = (d: FindingsDocument) => d.scan.scopes.filter((s) => s.provider === 'events').map((s) => s.scope);
      expect(events(doc)).toEqual([`records:${join(EVENT_FIXTURES, 'records.jsonl')}`]);
      expect(events(await base())).not.toEqual(events(doc));
    },
  };
}

/** A previous month's access review, attested, for `review --previous/--attestation`. */
async function attestedReview(): Promise<{ review: string; attestation: string; decisions: string }> {
  const dir = fresh('oct');
  expect((await cli('review', '--snapshot', DEMO_PREVIOUS, '--out-dir', dir)).code).toBe(0);
  const decisions = parse(readFileSync(join(dir, 'access-review-decisions.yaml'), 'utf8')) as { completed_at: string; reviewers: string[]; decisions: Array<Record<string, string>> };
  decisions.completed_at = '2026-10-31';
  decisions.reviewers = ['ciso@contoso.example'];
  for (const d of decisions.decisions) {
    d.decision = d.grant!.includes('group:ops-legacy|') ? 'revoke' : 'keep';
    if (d.decision === 'revoke') d.reason = 'legacy group reads every secret';
  }
  writeFileSync(join(dir, 'decisions.yaml'), stringify(decisions));
  const attestation = fresh('attestation.json');
  expect((await cli('review', 'attest', join(dir, 'decisions.yaml'), attestation, '--review', join(dir, 'access-review.json'))).code).toBe(0);
  return { review: join(dir, 'access-review.json'), attestation, decisions: join(dir, 'decisions.yaml') };
}

/** render evidence-pack from the demo's findings (computed with `more` options of evaluate). */
async function renderFrom(evaluateOptions: string[], dir: string, ...more: string[]) {
  const file = fresh('findings');
  await cli('evaluate', DEMO_SNAPSHOT, '-f', 'json', '-o', file, ...evaluateOptions);
  return cli('render', 'evidence-pack', file, '--snapshot', DEMO_SNAPSHOT, '--out', dir, ...more);
}

/** `vaultproof compliance` (issue 16.2): the map's JSON, its waived counts and the gate. */
function complianceChecks(): Record<string, Check> {
  type MapDoc = { scan: { id: string; correlation_id: string }; requirements: Array<{ counts: { waived: number } }> };
  const map = (text: string) => JSON.parse(text) as MapDoc;
  const waived = (text: string) => map(text).requirements.reduce((n, r) => n + r.counts.waived, 0);
  const demo = (...more: string[]) => cli('compliance', '--demo', '-f', 'json', ...more);
  const withWaivers = () => {
    const file = fresh('waivers-config.yaml');
    writeFileSync(file, stringify({ version: 1, waivers }));
    return file;
  };
  return {
    '--demo': async () => expect(map((await demo()).stdout).scan.id).toBe(DEMO_SCAN_ID),
    '--snapshot': async () => expect(map((await cli('compliance', '--snapshot', DEMO_PREVIOUS, '-f', 'json')).stdout).scan.id).toBe(PREVIOUS_SCAN_ID),
    '--findings': async () => expect(map((await cli('compliance', '--findings', baseline, '-f', 'json')).stdout).scan.id).toBe(DEMO_SCAN_ID),
    '--config': async () => {
      expect(waived((await demo()).stdout)).toBe(0);
      expect(waived((await demo('--config', withWaivers())).stdout)).toBeGreaterThan(0);
    },
    '--no-config': async () => {
      const dir = fresh('cwd');
      mkdirSync(dir);
      writeFileSync(join(dir, 'vaultproof.yaml'), readFileSync(withWaivers()));
      expect(waived((await cliIn(dir, 'compliance', '--snapshot', DEMO_SNAPSHOT, '-f', 'json')).stdout)).toBeGreaterThan(0);
      expect(waived((await cliIn(dir, 'compliance', '--snapshot', DEMO_SNAPSHOT, '-f', 'json', '--no-config')).stdout)).toBe(0);
    },
    '--waivers': async () => expect(waived((await demo('--waivers', waivers)).stdout)).toBeGreaterThan(0),
    '--by-vault': async () => {
      expect((JSON.parse((await demo()).stdout) as { by_vault?: unknown }).by_vault).toBeUndefined();
      expect((JSON.parse((await demo('--by-vault')).stdout) as { by_vault: unknown[] }).by_vault.length).toBeGreaterThan(0);
    },
    '--requirements': async () => {
      const file = fresh('requirements.yaml');
      writeFileSync(file, 'standard: s\nversion: "1"\nrequirements:\n  - id: SM-1-a\n    section: s\n    text: t\n    disposition: out-of-scope\n    reason: r\n');
      expect(map((await demo('--requirements', file)).stdout).requirements).toHaveLength(1);
    },
    '--format': async () => {
      expect((await cli('compliance', '--demo')).stdout).toMatch(/^vaultproof compliance — /);
      expect(map((await demo()).stdout).requirements.length).toBeGreaterThan(0);
    },
    '--out': async () => {
      const out = fresh('map.json');
      expect((await demo('--out', out)).code).toBe(3);
      expect(map(readFileSync(out, 'utf8')).scan.id).toBe(DEMO_SCAN_ID);
    },
    '--fail-on': async () => {
      expect((await demo()).stderr).toContain('at or above high');
      expect((await demo('--fail-on', 'critical')).stderr).toContain('at or above critical');
    },
    '--allow-incomplete': async () => expect((await demo('--allow-incomplete')).code).toBe(1),
    '--allow-errors': async () => expect((await demo('--allow-errors')).code).toBe(1),
    '--correlation-id': async () => expect(map((await demo('--correlation-id', 'walk-42')).stdout).scan.correlation_id).toBe('walk-42'),
  };
}

/** verb (as typed, space-separated) -> long option -> its observable effect. `--help` is checked for every verb. */
const EFFECTS: Record<string, Record<string, Check>> = {
  '': {
    '--version': async () => expect((await cli('--version')).stdout).toMatch(new RegExp(`^vaultproof ${TOOL_VERSION.replace(/\./g, '\\.')}\npolicy bundle sha256 [0-9a-f]{64} \\(\\d+ rules\\)\n$`)),
    '--quiet': async () => {
      const loud = await cli('scan', '--demo', '-f', 'json');
      const quiet = await cli('--quiet', 'scan', '--demo', '-f', 'json');
      expect(loud.stderr).not.toBe('');
      expect(quiet.stderr).toBe('');
      expect(quiet.stdout).toBe(loud.stdout);
      expect(quiet.code).toBe(loud.code);
    },
    '--verbose': async () => {
      const quiet = await cli('evaluate', join(work, 'missing.json'));
      const verbose = await cli('--verbose', 'evaluate', join(work, 'missing.json'));
      expect(quiet.code).toBe(2);
      expect(verbose.code).toBe(2);
      expect(verbose.stderr.length).toBeGreaterThan(quiet.stderr.length);
    },
    '--log-format': async () => {
      const r = await cli('--log-format', 'json', 'evaluate', join(work, 'missing.json'));
      expect(r.code).toBe(2);
      for (const line of r.stderr.trim().split('\n')) expect(() => JSON.parse(line) as unknown).not.toThrow();
    },
  },
  evaluate: outputChecks(['evaluate', DEMO_SNAPSHOT]),
  scan: {
    ...outputChecks(['scan', '--demo']),
    '--demo': async () => expect(findings((await cli('scan', '--demo', '-f', 'json')).stdout).scan.id).toBe(DEMO_SCAN_ID),
    '--snapshot': async () => {
      expect(findings((await cli('scan', '--snapshot', DEMO_PREVIOUS, '-f', 'json')).stdout).scan.id).toBe(PREVIOUS_SCAN_ID);
      expect((await cli('scan', '--demo', '--snapshot', DEMO_PREVIOUS)).code).toBe(2);
    },
    '--snapshot-out': async () => {
      const out = fresh('snapshot.json');
      const r = await cli('scan', '--config', liveConfig, '-f', 'json', '--snapshot-out', out);
      expect((JSON.parse(readFileSync(out, 'utf8')) as { scan_id: string }).scan_id).toBe(findings(r.stdout).scan.id);
      const refused = await cli('scan', '--demo', '--snapshot-out', fresh('snapshot.json'));
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('--snapshot-out: only applies to a live collection');
    },
    '--progress': async () => {
      const shown = await processStderr(() => cli('scan', '--config', liveConfig, '-f', 'json', '--progress'));
      expect(shown.length).toBeGreaterThan(0);
      expect((await cli('scan', '--demo', '--progress')).code).toBe(2);
    },
  },
  collect: {
    '--config': async () => {
      const out = fresh('snapshot.json');
      expect((await cli('collect', '--config', liveConfig, '--out', out)).code).toBe(0);
      expect(Object.keys((JSON.parse(readFileSync(out, 'utf8')) as { vaults: object }).vaults).length).toBeGreaterThan(0);
      expect((await cli('collect', '--out', fresh('snapshot.json'))).code).toBe(2);
    },
    '--out': async () => {
      const out = fresh('snapshot.json');
      expect((await cli('collect', '-c', liveConfig, '-o', out)).code).toBe(0);
      expect(existsSync(out)).toBe(true);
      expect((await cli('collect', '-c', liveConfig)).code).toBe(2);
    },
    '--progress': async () => {
      const shown = await processStderr(() => cli('collect', '-c', liveConfig, '-o', fresh('snapshot.json'), '--progress'));
      expect(shown.length).toBeGreaterThan(0);
    },
    '--shard': async () => {
      const whole = fresh('whole.json');
      const shard = fresh('shard.json');
      expect((await cli('collect', '-c', shardConfig, '-o', whole)).code).toBe(0);
      expect((await cli('collect', '-c', shardConfig, '-o', shard, '--shard', '1/2')).code).toBe(0);
      const vaults = (f: string) => Object.keys((JSON.parse(readFileSync(f, 'utf8')) as { vaults: object }).vaults).sort();
      expect(vaults(shard).length).toBeLessThan(vaults(whole).length);
    },
    '--correlation-id': async () => {
      const out = fresh('snapshot.json');
      expect((await cli('collect', '-c', liveConfig, '-o', out, '--correlation-id', 'walk-collect-7')).code).toBe(0);
      expect(readFileSync(ledgerPathFor(out), 'utf8')).toContain('"walk-collect-7"');
    },
  },
  merge: {
    '--out': async () => {
      const shards = [fresh('s1.json'), fresh('s2.json')];
      for (const [i, s] of shards.entries()) expect((await cli('collect', '-c', shardConfig, '-o', s, '--shard', `${i + 1}/2`)).code).toBe(0);
      const out = fresh('merged.json');
      expect((await cli('merge', ...shards, '--out', out)).code).toBe(0);
      expect(existsSync(out)).toBe(true);
      expect((await cli('merge', ...shards)).code).toBe(2);
    },
    '--allow-gaps': async () => {
      const shard = fresh('s1.json');
      expect((await cli('collect', '-c', shardConfig, '-o', shard, '--shard', '1/2')).code).toBe(0);
      expect((await cli('merge', shard, '-o', fresh('merged.json'))).code).toBe(2);
      const out = fresh('merged.json');
      expect((await cli('merge', shard, '-o', out, '--allow-gaps')).code).toBe(0);
      expect((JSON.parse(readFileSync(out, 'utf8')) as { scopes: Array<{ status: string }> }).scopes.some((s) => s.status === 'incomplete')).toBe(true);
    },
  },
  render: {
    '--snapshot': async () => {
      const dir = fresh('pack');
      expect((await renderFrom([], dir, '--sign', key)).code).toBe(0);
      expect(readFileSync(join(dir, 'snapshot.json'), 'utf8')).toContain(DEMO_SCAN_ID);
      expect((await cli('render', 'evidence-pack', baseline, '--out', fresh('pack'), '--sign', key)).code).toBe(2);
    },
    '--out': async () => {
      const dir = fresh('pack');
      expect((await cli('render', 'evidence-pack', baseline, '--snapshot', DEMO_SNAPSHOT, '--out', dir, '--sign', key)).code).toBe(0);
      expect(readdirSync(dir)).toContain('manifest.json');
    },
    '--waivers': async () => {
      const dir = fresh('pack');
      expect((await renderFrom(['--waivers', waivers], dir, '--sign', key, '--waivers', waivers)).code).toBe(0);
      expect(JSON.parse(readFileSync(join(dir, 'waivers.json'), 'utf8'))).toHaveLength(1);
      expect((await renderFrom(['--waivers', waivers], fresh('pack'), '--sign', key)).code).toBe(2);
    },
    '--config': async () => {
      expect((await renderFrom(['--config', config], fresh('pack'), '--sign', key, '--config', config)).code).toBe(0);
      expect((await renderFrom(['--config', config], fresh('pack'), '--sign', key)).code).toBe(2);
    },
    ...packChecks((dir, ...more) => cli('render', 'evidence-pack', baseline, '--snapshot', DEMO_SNAPSHOT, '--out', dir, '--sign', key, ...more), 0),
  },
  verify: {
    '--key': async () => {
      const dir = fresh('pack');
      expect((await cli('scan', '--demo', '--evidence-pack', dir, '--sign', key)).code).toBe(3);
      expect((await cli('verify', dir)).stdout).toContain('NOTE: no --key given');
      const pinned = await cli('verify', dir, '--key', pub);
      expect(pinned.code).toBe(0);
      expect(pinned.stdout).not.toContain('NOTE: no --key given');
    },
    '--previous': async () => {
      const first = fresh('pack');
      const second = fresh('pack');
      expect((await cli('scan', '--demo', '--evidence-pack', first, '--sign', key)).code).toBe(3);
      expect((await cli('scan', '--demo', '--evidence-pack', second, '--sign', key, '--previous', first)).code).toBe(3);
      expect((await cli('verify', second, '--previous', first)).code).toBe(0);
      expect((await cli('verify', second, '--previous', second)).code).not.toBe(0);
    },
  },
  keygen: {},
  review: {
    '--demo': async () => expect((await cli('review', '--demo')).stdout).toContain('"review_id": "AR-2026-11-29'),
    '--snapshot': async () => expect((await cli('review', '--snapshot', DEMO_PREVIOUS)).stdout).toContain('"review_id": "AR-2026-10-29'),
    '--no-config': async () => {
      const dir = fresh('cwd');
      mkdirSync(dir);
      writeFileSync(join(dir, 'vaultproof.yaml'), 'version: 1\n');
      expect((await cliIn(dir, 'review', '--snapshot', DEMO_PREVIOUS)).stderr).toContain('using config');
      expect((await cliIn(dir, 'review', '--snapshot', DEMO_PREVIOUS, '--no-config')).stderr).not.toContain('using config');
    },
    '--config': async () => {
      const { review } = await attestedReview();
      const withPrevious = fresh('review.yaml');
      writeFileSync(withPrevious, stringify({ version: 1, review: { previous: review } }));
      expect((await cli('review', '--demo')).stderr).not.toContain('since AR-2026-10-29');
      expect((await cli('review', '--demo', '--config', withPrevious)).stderr).toContain('since AR-2026-10-29');
    },
    '--previous': async () => {
      const { review } = await attestedReview();
      expect((await cli('review', '--demo', '--previous', review)).stderr).toContain('since AR-2026-10-29');
    },
    '--attestation': async () => {
      const { review, attestation } = await attestedReview();
      const rev5 = async (...more: string[]) =>
        (JSON.parse((await cli('review', '--demo', '--previous', review, '-f', 'json', ...more)).stdout) as { findings: Array<{ rule_id: string; status: string }> }).findings
          .filter((f) => f.rule_id === 'VP-REV-005')
          .map((f) => f.status);
      expect(await rev5('--attestation', attestation)).toEqual(['fail']);
      expect(await rev5()).not.toEqual(['fail']);
    },
    '--format': async () => expect((await cli('review', '--demo', '--format', 'html')).stdout).toMatch(/^<!doctype html>/i),
    '--out': async () => {
      const out = fresh('review.json');
      expect((await cli('review', '--demo', '--out', out)).code).toBe(0);
      expect(readFileSync(out, 'utf8')).toContain('"review_id"');
    },
    '--out-dir': async () => {
      const dir = fresh('review');
      expect((await cli('review', '--demo', '--out-dir', dir)).code).toBe(0);
      expect(readdirSync(dir)).toEqual(expect.arrayContaining(['access-review.json', 'access-review.html', 'access-review.csv']));
    },
  },
  'review attest': {
    '--review': async () => {
      const { decisions } = await attestedReview();
      const november = fresh('nov');
      expect((await cli('review', '--demo', '--out-dir', november)).code).toBe(0);
      // The October decisions checked against November's review: refused, naming the review they answer.
      const answered = await cli('review', 'attest', decisions, fresh('att.json'), '--review', join(november, 'access-review.json'));
      expect(answered.code).toBe(2);
      expect(answered.stderr).toContain('AR-2026-10-29');
    },
  },
  rules: {
    '--format': async () => {
      const r = await cli('rules', '--format', 'json');
      expect(JSON.parse(r.stdout)).toBeTruthy();
      expect((await cli('rules', '--format', 'yaml')).code).toBe(2);
    },
  },
  explain: {},
  init: {
    '--azure': async () => {
      const dir = fresh('init');
      mkdirSync(dir);
      expect((await cliIn(dir, 'init', '--azure')).code).toBe(0);
      expect(readdirSync(dir).sort()).toEqual(['vaultproof-azure-access.sh', 'vaultproof.yaml']);
    },
    '--hashicorp': async () => {
      const dir = fresh('init');
      mkdirSync(dir);
      expect((await cliIn(dir, 'init', '--hashicorp')).code).toBe(0);
      expect(readdirSync(dir).sort()).toEqual(['vaultproof-scanning-policy.hcl', 'vaultproof.yaml']);
    },
    '--dir': async () => {
      const dir = fresh('init');
      expect((await cli('init', '--hashicorp', '--dir', dir)).code).toBe(0);
      expect(readdirSync(dir)).toContain('vaultproof.yaml');
    },
  },
  compliance: complianceChecks(),
  completion: {},
  schema: {
    '--out': async () => {
      const out = fresh('schema.json');
      expect((await cli('schema', 'waivers', '--out', out)).code).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(PACKAGE_ROOT, 'schemas', 'waivers-v1.schema.json'), 'utf8'));
    },
  },
};

/** The options a verb's --help lists (long names), and its subcommands. */
async function helpOf(verb: string): Promise<{ options: string[]; commands: string[] }> {
  const r = await cli(...(verb ? verb.split(' ') : []), '--help');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(new RegExp(`^Usage: vaultproof${verb ? ` ${verb}` : ''} `));
  const section = (title: string) => {
    const m = new RegExp(`\\n${title}:\\n([\\s\\S]*?)(?:\\n\\n|$)`).exec(r.stdout);
    return m ? m[1]!.split('\n') : [];
  };
  const options = section('Options').flatMap((l) => /^ {2}(?:-\w, )?(--[a-z][\w-]*)/.exec(l)?.[1] ?? []);
  const commands = section('Commands').flatMap((l) => /^ {2}([a-z][\w-]*)/.exec(l)?.[1] ?? []).filter((c) => c !== 'help');
  return { options, commands };
}

async function allVerbs(): Promise<Array<{ verb: string; options: string[] }>> {
  const out: Array<{ verb: string; options: string[] }> = [];
  const walk = async (verb: string) => {
    const help = await helpOf(verb);
    out.push({ verb, options: help.options.filter((o) => o !== '--help') });
    for (const c of help.commands) await walk(verb ? `${verb} ${c}` : c);
  };
  await walk('');
  return out;
}

describe('every option every --help lists does what it says, or is refused (exit 2)', () => {
  it('the table classifies every option of every verb, and nothing the help no longer lists', async () => {
    const verbs = await allVerbs();
    expect(verbs.map((v) => v.verb).sort()).toEqual(Object.keys(EFFECTS).sort());
    for (const { verb, options } of verbs) expect({ verb, options: [...options].sort() }).toEqual({ verb, options: Object.keys(EFFECTS[verb]!).sort() });
  });

  for (const [verb, checks] of Object.entries(EFFECTS)) {
    for (const [option, check] of Object.entries(checks)) {
      it(`${verb || 'vaultproof'} ${option}`, check, 120_000);
    }
  }
});
