import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { InputError } from '../../src/util/input-error.js';

let work: string;
beforeAll(() => (work = mkdtempSync(join(tmpdir(), 'vp-config-globs-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function refusal(yaml: string): InputError {
  const f = join(work, 'vaultproof.yaml');
  writeFileSync(f, `version: 1\n${yaml}`);
  try {
    loadConfig(f);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('the config loaded');
}

describe('every glob field of vaultproof.yaml takes the one glob', () => {
  it.each([
    ['classification:\n  - { type: api-token, match: { path: "apps/**token*" } }\n', '$.classification[0].match.path', '`**` inside a path segment'],
    ['classification:\n  - { type: sp-certificate, match: { content_type: "*pkcs12" } }\n', '$.classification[0].match.content_type', 'not a whole part of `type/subtype`'],
    ['thresholds:\n  break_glass_paths: ["**EmergencyAccess*"]\n', '$.thresholds.break_glass_paths[0]', '`**` inside a path segment'],
    ['thresholds:\n  known_subsystems: ["control-plane", "connectors/[!x]*"]\n', '$.thresholds.known_subsystems[1]', 'write a negated class as `[^...]`'],
    ['thresholds:\n  admin_policies: ["admin-{1..3}"]\n', '$.thresholds.admin_policies[0]', 'brace range'],
    ['thresholds:\n  hsm_required_key_types: ["signing-[key"]\n', '$.thresholds.hsm_required_key_types[0]', 'unclosed `[`'],
    ['principals:\n  - { match: "orch**", subsystem: control-plane }\n', '$.principals[0].match', '`**` inside a path segment'],
  ])('%#: refused at %s', (yaml, path, problem) => {
    const e = refusal(yaml);
    expect(e.path).toBe(path);
    expect(e.message).toContain(problem);
  });

  it('accepts the spellings the docs show', () => {
    const f = join(work, 'ok.yaml');
    writeFileSync(f, 'version: 1\nclassification:\n  - { type: api-token, match: { path: "apps/**/token*" } }\n  - { type: sp-certificate, match: { content_type: "application/*" } }\nprincipals:\n  - { match: "orchestrator*", subsystem: control-plane }\n');
    expect(loadConfig(f).classification).toHaveLength(2);
  });
});
