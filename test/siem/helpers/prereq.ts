/**
 * Real-tool prerequisites: outside CI a missing tool skips the suite with a printed reason; under
 * CI=true the suite fails instead (a test that needs rsyslog never passes by not running).
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export function findBinary(name: string, extraDirs: string[] = []): string | undefined {
  const dirs = [...extraDirs, ...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  for (const d of dirs) {
    const p = join(d, name);
    if (d && existsSync(p)) return p;
  }
  return undefined;
}

/**
 * Returns `describe` when the tool is there; otherwise, in CI, a describe whose single test fails
 * with the reason, and outside CI `describe.skip` after printing the reason.
 */
export function describeWith(tool: string, found: string | undefined, why: string): jest.Describe {
  if (found) return describe;
  const reason = `${tool} not found (${why}); install it with scripts/setup.sh`;
  if (process.env.CI === 'true') {
    return ((name: string) =>
      describe(name, () => {
        it(`needs ${tool}`, () => {
          throw new Error(reason);
        });
      })) as unknown as jest.Describe;
  }
  console.warn(`SKIPPED (not in CI): ${reason}`);
  return describe.skip;
}
