/**
 * Issue 18's contract: the restructure changes no output. Every user-facing command on every
 * fixture (run-cases.mjs lists them) gives the same exit code, stdout, stderr and files, byte for
 * byte, as the reference recorded in expected.json. A deliberate output change rewrites
 * expected.json (`node test/golden/run-cases.mjs --write`) in its own commit that says why.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireBuiltBundle } from '../support/prerequisites.js';

const here = join(process.cwd(), 'test', 'golden');

type Record = { exit: number | null; files: { [name: string]: { sha256: string; bytes: number } } };

describe('golden outputs', () => {
  let actual: { [name: string]: Record };
  const expected = JSON.parse(readFileSync(join(here, 'expected.json'), 'utf8')) as { [name: string]: Record };

  beforeAll(() => {
    requireBuiltBundle();
    const run = spawnSync(process.execPath, [join(here, 'run-cases.mjs')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (run.status !== 0) throw new Error(`run-cases.mjs exited ${run.status}: ${run.stderr}`);
    actual = JSON.parse(run.stdout) as { [name: string]: Record };
  }, 600_000);

  it('runs the same cases as the reference', () => {
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.keys(expected))('%s: same exit code and the same bytes in every output', (name) => {
    expect(actual[name]).toEqual(expected[name]);
  });
});
