import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/main.js';
import { loadConfig, policyOverrides } from '../../src/config/load.js';
import { InputError } from '../../src/util/input-error.js';
import { fakeConsole } from '../support/fake-console.js';
import { requireBuiltBundle } from '../support/prerequisites.js';

let work: string;
beforeAll(() => (work = mkdtempSync(join(tmpdir(), 'vp-config-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const f = join(work, name);
  writeFileSync(f, text);
  return f;
}

function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('vaultproof.yaml', () => {
  it('loads thresholds, classification and a waiver path relative to the config file', () => {
    const f = file('ok.yaml', 'version: 1\nthresholds:\n  rotation_days: { api-token: 45 }\nclassification:\n  - type: api-token\n    match: { path: "apps/**" }\nwaivers: w.yaml\n');
    const c = loadConfig(f);
    expect(c.waivers).toBe(join(work, 'w.yaml'));
    expect(policyOverrides(c)).toEqual({
      thresholds: { rotation_days: { 'api-token': 45 } },
      classification: [{ type: 'api-token', match: { path: 'apps/**' } }],
      config_sha256: createHash('sha256').update(readFileSync(f)).digest('hex'),
    });
  });

  it.each([
    ['version: 1\nthresholds: { rotation_days: { api-token: 0 } }\n', '$.thresholds.rotation_days["api-token"]', 'expected a whole number of days from 1 to 3650, or null (no limit), found 0'],
    ['version: 1\nclassification:\n  - type: password\n    match: { path: x }\n', '$.classification[0].type', 'expected one of'],
    ['version: 1\nclassification:\n  - type: api-token\n    match: {}\n', '$.classification[0].match', 'fewer than 1 properties'],
    ['version: 1\nbogus: true\n', '$.bogus', 'is not an allowed property'],
    ['thresholds: {}\n', '$.version', 'is required'],
    ['- just\n- a list\n', '$', 'expected a mapping'],
    ['version: 1\nversion: 1\n', '', 'invalid YAML at line 2'],
  ])('rejects bad config with the path and what was expected (%#)', (text, path, detail) => {
    const e = errorOf(() => loadConfig(file('bad.yaml', text)));
    expect(e.path).toBe(path);
    expect(e.message).toContain(detail);
  });

  it('rejects a threshold the rules do not know, or of the wrong type, when evaluating', async () => {
    requireBuiltBundle();
    for (const [text, expected] of [
      ['version: 1\nthresholds: { rotation_dayz: 3 }\n', '$.thresholds.rotation_dayz: is not a threshold the rules use'],
      ['version: 1\nthresholds: { allowed_key_curves: "P-256" }\n', '$.thresholds.allowed_key_curves: expected a list of allowed key curves, found "P-256"'],
    ] as const) {
      const io = fakeConsole();
      const code = await run(['scan', '--demo', '--config', file('t.yaml', text)], io);
      expect(code).toBe(2);
      expect(io.stderr).toContain(expected);
    }
  });
});
