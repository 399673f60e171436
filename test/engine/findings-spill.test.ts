/**
 * The findings spill gives the findings of every rule in (rule_id, resource.id) order whatever order
 * the runs arrived in: runs that do not overlap are copied, overlapping ones merged, a resource
 * reported twice by one rule is refused, and the last finding loses its separator.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { PolicyEvaluationError } from '../../src/engine/errors.js';
import type { Finding } from '../../src/findings/types.js';
import { FindingsSpill, splitPieces, type RenderedRun } from '../../src/engine/findings-spill.js';
import { findingText } from '../../src/findings/json-text.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vp-spill-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const finding = (rule: string, id: string): Finding => ({
  rule_id: rule,
  title: 't',
  control: 'c',
  severity: 'low',
  status: 'pass',
  resource: { provider: 'azure-keyvault', vault: 'v', type: 'secret', id, path: `p/${id}` },
  metric: { name: 'M', value: 1, op: '<=', threshold: 2 },
  message: `message of ${id} ✓ "quoted"`,
  remediation: 'r',
  fingerprint: `${rule}:${id}`,
});

/** A run as a worker renders it: sorted by resource id, UTF-8. */
function run(rule: string, ids: string[]): RenderedRun {
  const sorted = [...ids].sort();
  return { rule_id: rule, bytes: Buffer.from(textOf(rule, sorted)), shown: sorted.length, firstId: sorted[0] ?? null, lastId: sorted.at(-1) ?? null };
}

const textOf = (rule: string, ids: string[]) => ids.map((id) => findingText(finding(rule, id)) + ',\n').join('');

/** Everything added, written out (after the writes in flight are done). */
async function writtenOut(spill: FindingsSpill, order: string[]): Promise<string> {
  await spill.flush();
  return written(spill, order);
}

function expected(byRule: Map<string, string[]>, order: string[]): string {
  const all = order.flatMap((rule) => [...(byRule.get(rule) ?? [])].sort().map((id) => findingText(finding(rule, id))));
  return all.length ? all.join(',\n') + '\n' : '';
}

const written = (spill: FindingsSpill, order: string[]) => Buffer.concat([...spill.chunks(order)]).toString('utf8');

describe('FindingsSpill', () => {
  it('orders any split of the findings into runs, overlapping or not, whether writes go async or sync', async () => {
    const ids = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6, unit: fc.constantFrom('a', 'b', 'é', '/', '-', '0', '😀') }), { maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(ids, ids, fc.array(fc.nat(5), { maxLength: 40 }), fc.constantFrom(0, 4096, 1 << 30), async (a, b, cuts, maxPending) => {
        const byRule = new Map([['VP-B-002', a], ['VP-A-001', b]]);
        const spill = new FindingsSpill(dir, maxPending);
        try {
          // Each rule's ids dealt into runs by `cuts` (arbitrary, so runs interleave and overlap).
          for (const [rule, list] of byRule) {
            const runs: string[][] = [[], [], [], [], [], []];
            list.forEach((id, i) => (runs[(cuts[i] ?? i) % 6] as string[]).push(id));
            for (const r of runs) spill.add(run(rule, r));
          }
          const order = ['VP-A-001', 'VP-B-002'];
          return (await writtenOut(spill, order)) === expected(byRule, order);
        } finally {
          spill.close();
        }
      }),
      { numRuns: 150 },
    );
  });

  it('copies disjoint runs in id order and merges overlapping ones', async () => {
    const spill = new FindingsSpill(dir);
    spill.add(run('R', ['m', 'n']));
    spill.add(run('R', ['a', 'b']));
    spill.add(run('R', ['c', 'x']));
    spill.add(run('R', ['d', 'e']));
    expect(() => written(spill, ['R'])).toThrow(/before flush/);
    expect(await writtenOut(spill, ['R'])).toBe(expected(new Map([['R', ['a', 'b', 'c', 'd', 'e', 'm', 'n', 'x']]]), ['R']));
    spill.close();
  });

  it('refuses a resource reported twice by one rule in different runs', async () => {
    const spill = new FindingsSpill(dir);
    spill.add(run('VP-X-001', ['a', 'k']));
    spill.add(run('VP-X-001', ['c', 'k']));
    await spill.flush();
    expect(() => written(spill, ['VP-X-001'])).toThrow(PolicyEvaluationError);
    expect(() => written(spill, ['VP-X-001'])).toThrow('rule VP-X-001 emitted more than one finding for k');
    spill.close();
  });

  it('closed with writes in flight (a failed evaluation), it removes everything and refuses more', async () => {
    const spill = new FindingsSpill(dir);
    for (let i = 0; i < 20; i++) spill.add(run(`R${i % 3}`, [`id-${i}`]));
    spill.close();
    expect(readdirSync(dir)).toEqual([]);
    expect(() => spill.add(run('R', ['x']))).toThrow(/closed/);
    await spill.flush();
  });

  it('is empty without shown findings, and leaves nothing behind once closed', () => {
    const spill = new FindingsSpill(dir);
    spill.add(run('R', []));
    expect(spill.empty).toBe(true);
    expect(written(spill, ['R'])).toBe('');
    spill.close();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('splits a run into its findings at the closing brace of each', () => {
    const text = textOf('R', ['a', 'b', 'c']);
    expect(splitPieces(text)).toEqual(['a', 'b', 'c'].map((id) => findingText(finding('R', id)) + ',\n'));
    expect(() => splitPieces(text.slice(0, -3))).toThrow(/complete finding/);
  });
});
