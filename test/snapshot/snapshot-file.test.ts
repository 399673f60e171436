/**
 * The snapshot file read vault by vault holds what the whole-file reader holds, and refuses what it
 * refuses with the same message (file, JSON path, what was expected).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSnapshotFile } from '../../src/snapshot/snapshot-file.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { loadSnapshot } from '../../src/snapshot/validate.js';
import { InputError } from '../../src/util/input-error.js';
import { PACKAGE_ROOT } from '../../src/version.js';

const DEMO = join(PACKAGE_ROOT, 'fixtures', 'demo', 'snapshot.json');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vp-snapfile-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every vault read; the first error, as the whole-file reader would report it. */
function readAll(file: string): Snapshot {
  const f = openSnapshotFile(file);
  try {
    return { ...f.head, vaults: Object.fromEntries(f.vaultIds.map((id) => [id, f.readVault(id)])) } as Snapshot;
  } finally {
    f.close();
  }
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('openSnapshotFile', () => {
  it('holds the same snapshot as the whole-file reader, vaults in id order', () => {
    const whole = loadSnapshot(DEMO);
    const f = openSnapshotFile(DEMO);
    expect(f.vaultIds).toEqual(Object.keys(whole.vaults).sort());
    const { vaults, ...head } = whole;
    expect(f.head).toEqual(head);
    expect(Object.keys(f.head)).toEqual(Object.keys(head));
    for (const id of f.vaultIds) expect(f.readVault(id)).toEqual(vaults[id]);
    f.close();
    expect(() => f.readVault(f.vaultIds[0] as string)).toThrow(/closed/);
  });

  it('refuses a top-level __proto__ member as the whole-file reader does, naming it', () => {
    for (const value of ['{}', '{"polluted":true}']) {
      const text = readFileSync(DEMO, 'utf8').replace(/^\{/, `{"__proto__":${value},`);
      const file = join(dir, 'proto.json');
      writeFileSync(file, text);
      const whole = errorOf(() => loadSnapshot(file));
      expect(whole).toMatch(/\$\.__proto__/);
      expect(errorOf(() => readAll(file))).toBe(whole);
    }
  });

  const demo = () => JSON.parse(readFileSync(DEMO, 'utf8')) as Snapshot & Record<string, unknown>;
  const firstVault = (s: Snapshot) => Object.keys(s.vaults).sort()[0] as string;
  const cases: Array<[string, (s: Snapshot & Record<string, unknown>) => unknown]> = [
    ['a vault field of the wrong type', (s) => ((s.vaults[firstVault(s)] as unknown as { config: Record<string, unknown> }).config.purge_protection = 'yes')],
    ['a vault stored under another key', (s) => ((s.vaults[firstVault(s)] as { id: string }).id = 'elsewhere')],
    ['an object without its current version', (s) => {
      const v = s.vaults[firstVault(s)] as { objects: Record<string, { current_version: string }> };
      (Object.values(v.objects)[0] as { current_version: string }).current_version = 'missing';
    }],
    ['a missing vault property', (s) => delete (s.vaults[firstVault(s)] as unknown as Record<string, unknown>).provider],
    ['a grant on an unknown vault', (s) => ((Object.values(s.grants)[0] as { vault: string }).vault = 'no-such-vault')],
    ['a principal stored under another key', (s) => ((Object.values(s.principals)[0] as { id: string }).id = 'other')],
    ['no vaults member', (s) => delete (s as Record<string, unknown>).vaults],
    ['vaults as an array', (s) => ((s as Record<string, unknown>).vaults = [])],
    ['an unknown top-level member', (s) => ((s as Record<string, unknown>).extra = 1)],
    ['a wrong schema id', (s) => ((s as Record<string, unknown>).schema = 'vaultproof/snapshot/v0')],
  ];
  for (const [name, mutate] of cases) {
    it(`refuses ${name} with the whole-file reader's message`, () => {
      const s = demo();
      mutate(s);
      const file = join(dir, 'bad.json');
      writeFileSync(file, JSON.stringify(s, null, 2));
      const expected = errorOf(() => loadSnapshot(file));
      expect(errorOf(() => readAll(file))).toBe(expected);
    });
  }

  it('refuses bad JSON and a missing file with the line and column, or the file', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, readFileSync(DEMO, 'utf8').replace('"now":', '"now"'));
    expect(errorOf(() => readAll(file))).toMatch(/broken\.json: .*invalid JSON at line \d+, column \d+/);
    expect(errorOf(() => readAll(join(dir, 'absent.json')))).toBe(errorOf(() => loadSnapshot(join(dir, 'absent.json'))));
  });
});
