/**
 * Property 4 of issue 15, "the gate fails closed on errors": findings that could not be judged
 * (status `error`) at or above --fail-on gate like an incomplete scan (exit 3) unless the user opts
 * out (--allow-errors, or --allow-incomplete); the verdict line says how many checks could not be
 * judged and how many are waived. Both gate paths (gate() on a document held whole, and the counts
 * of the file/streaming evaluation) agree.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBundle } from '../../src/engine/bundle.js';
import { Engine } from '../../src/engine/evaluate.js';
import type { Finding, FindingsDocument } from '../../src/findings/types.js';
import { gate, verdict, type GateOptions } from '../../src/findings/gate.js';
import { openSnapshotFile } from '../../src/snapshot/snapshot-file.js';
import type { Snapshot, VaultConfig } from '../../src/snapshot/types.js';
import { requireBuiltBundle } from '../support/prerequisites.js';
import { azureVault, snapshot } from '../support/snapshot-builder.js';

const HIGH: GateOptions = { failOn: 'high', allowIncomplete: false, failOnNew: false };

let engine: Engine;
let work: string;
beforeAll(async () => {
  requireBuiltBundle();
  engine = await Engine.create(loadBundle());
  work = mkdtempSync(join(tmpdir(), 'vp-gate-errors-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** An Azure vault whose every configuration field (and its audit settings) is null: nothing about it could be read. */
function nullConfigSnapshot(): Snapshot {
  const v = azureVault('kv-null');
  const config = Object.fromEntries(Object.keys(v.config).map((k) => [k, null])) as unknown as VaultConfig;
  // Its fallback is named but was not collected either (a primary without any secondary would fail VP-REP-003).
  const pair = { id: 'kv-null->kv-null-dr', primary: v.id, secondary: 'kv-null-dr', method: 'version-compare' as const };
  return snapshot([{ ...v, config, audit: { destinations: null } }], { replication: { [pair.id]: pair } });
}

async function fileVerdict(snap: Snapshot, opts: GateOptions) {
  const file = join(work, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(snap));
  const source = openSnapshotFile(file);
  try {
    const evaluation = await engine.evaluateFile(source, { toolVersion: '0', spillDir: work, pool: { workers: 1 } });
    try {
      return evaluation.gate(opts);
    } finally {
      evaluation.close();
    }
  } finally {
    source.close();
  }
}

describe('the gate fails closed on checks that could not be judged', () => {
  it('a vault with every config field null does not PASS: exit 3, naming how many checks could not be judged (both gate paths)', async () => {
    const snap = nullConfigSnapshot();
    const doc = engine.evaluate(snap, { toolVersion: '0' });
    const errors = doc.findings.filter((f) => f.status === 'error' && ['high', 'critical'].includes(f.severity)).length;
    expect(errors).toBeGreaterThan(0);
    expect(doc.findings.some((f) => f.status === 'fail' && ['high', 'critical'].includes(f.severity))).toBe(false);
    const whole = gate(doc, HIGH);
    expect(whole.exitCode).toBe(3);
    expect(whole.line).toBe(`INCOMPLETE: ${errors} check(s) at or above high could not be judged (error); 0 violation(s) at or above high among what was read; 0 waived (exit 3)`);
    const streamed = await fileVerdict(snap, HIGH);
    expect(streamed).toEqual({ exitCode: whole.exitCode, line: whole.line });
  });

  it('--allow-errors and --allow-incomplete opt out, and the line says so', async () => {
    const snap = nullConfigSnapshot();
    const doc = engine.evaluate(snap, { toolVersion: '0' });
    for (const [opts, flag] of [[{ ...HIGH, allowErrors: true }, '--allow-errors'], [{ ...HIGH, allowIncomplete: true }, '--allow-incomplete']] as const) {
      const whole = gate(doc, opts);
      expect(whole.exitCode).toBe(0);
      expect(whole.line).toMatch(new RegExp(`^PASS: no violation at or above high; \\d+ check\\(s\\) at or above high could not be judged \\(error\\), allowed by ${flag}; 0 waived \\(exit 0\\)$`));
      expect(await fileVerdict(snap, opts)).toEqual({ exitCode: 0, line: whole.line });
    }
  });

  it('errors below --fail-on do not gate', () => {
    const doc = engine.evaluate(nullConfigSnapshot(), { toolVersion: '0' });
    const onlyLow = { ...doc, findings: doc.findings.map((f) => ({ ...f, severity: 'low' as const })) };
    expect(gate(onlyLow, HIGH).exitCode).toBe(0);
  });
});

describe('exit-code precedence and the counts in the verdict line', () => {
  const base = (status: Finding['status'], severity: Finding['severity'] = 'high') => ({ status, severity }) as Finding;
  const doc = (findings: Finding[], incomplete = false) =>
    ({ scan: { scopes: incomplete ? [{ provider: 'azure-keyvault', scope: '/subscriptions/s1', status: 'incomplete', reason: 'HTTP 403' }] : [] }, findings }) as unknown as FindingsDocument;

  it('errors gate over violations (3 > 1), with the waived count', () => {
    const v = gate(doc([base('fail'), base('error'), base('waived'), base('waived', 'low')]), HIGH);
    expect(v.exitCode).toBe(3);
    expect(v.line).toBe('INCOMPLETE: 1 check(s) at or above high could not be judged (error); 1 violation(s) at or above high among what was read; 2 waived (exit 3)');
  });

  it('a failure with errors allowed is exit 1, and says how many are waived', () => {
    const v = gate(doc([base('fail'), base('error'), base('waived')]), { ...HIGH, allowErrors: true });
    expect(v.exitCode).toBe(1);
    expect(v.line).toBe('FAIL: 1 violation(s) at or above high; 1 check(s) at or above high could not be judged (error), allowed by --allow-errors; 1 waived (exit 1)');
  });

  it('--allow-errors does not allow an unreadable scope', () => {
    const v = gate(doc([base('pass')], true), { ...HIGH, allowErrors: true });
    expect(v.exitCode).toBe(3);
    expect(v.line).toBe('INCOMPLETE: 1 scope(s) could not be collected (/subscriptions/s1); 0 check(s) at or above high could not be judged (error); 0 violation(s) at or above high among what was read; 0 waived (exit 3)');
  });

  it('catch-all waivers in force are reported loudly', () => {
    expect(verdict({ blocking: 0, errors: 0, waived: 51, catchAllWaivers: 2 }, [], HIGH).line).toBe(
      'PASS: no violation at or above high; 0 check(s) at or above high could not be judged (error); 51 waived; WARNING: 2 catch-all waiver(s) (scope: all-resources) in force (exit 0)',
    );
  });
});
