import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config/load.js';
import { applyPrincipalRules, MAPPED_TAG } from '../../src/config/principals.js';
import type { FindingsDocument } from '../../src/findings/types.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { InputError } from '../../src/util/input-error.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { fakeConsole } from '../support/fake-console.js';
import { requireBuiltBundle } from '../support/prerequisites.js';

const demo = (): Snapshot => JSON.parse(readFileSync(join(PACKAGE_ROOT, 'fixtures', 'demo', 'snapshot.json'), 'utf8')) as Snapshot;

let work: string;
beforeAll(() => (work = mkdtempSync(join(tmpdir(), 'vp-principals-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('principals: organisational facts from vaultproof.yaml', () => {
  it('fills a missing subsystem and unknown auth methods from the first matching rule, and says so', () => {
    const s = demo();
    const p = s.principals['aad:sp-jamf-connector']!;
    delete p.subsystem;
    p.auth_methods = ['unknown'];
    const out = applyPrincipalRules(s, [
      { match: 'jamf-*', subsystem: 'connectors/jamf', auth_methods: ['certificate'] },
      { match: '**', subsystem: 'never-reached' },
    ]);
    expect(out.principals['aad:sp-jamf-connector']).toMatchObject({ subsystem: 'connectors/jamf', auth_methods: ['certificate'], tags: { [MAPPED_TAG]: 'vaultproof.yaml principals: jamf-*' } });
    expect(s.principals['aad:sp-jamf-connector']?.subsystem).toBeUndefined(); // pure
  });

  it('never overwrites what a collector recorded', () => {
    const s = demo();
    const out = applyPrincipalRules(s, [{ match: '**', subsystem: 'overwritten', auth_methods: ['password'] }]);
    expect(out.principals['aad:mi-orchestrator']).toMatchObject({ subsystem: 'control-plane', auth_methods: ['managed-identity'] });
    expect(out.principals['aad:user-a.berg']?.subsystem).toBe('overwritten'); // it had none
  });

  it('rejects a rule that sets nothing, or an unknown auth method, with the path', () => {
    for (const [text, path] of [
      ['version: 1\nprincipals:\n  - match: "x"\n', '$.principals[0]'],
      ['version: 1\nprincipals:\n  - { match: x, auth_methods: [magic] }\n', '$.principals[0].auth_methods[0]'],
    ] as const) {
      const f = join(work, 'p.yaml');
      writeFileSync(f, text);
      let err: unknown;
      try {
        loadConfig(f);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).path).toBe(path);
    }
  });

  it('a match the old reading (* across /) decided otherwise is refused with the file, the rule and the new spelling', () => {
    const f = join(work, 'old-glob.yaml');
    writeFileSync(f, 'version: 1\nprincipals:\n  - { match: "jamf-*", subsystem: connectors/jamf }\n  - { match: "*", subsystem: control-plane }\n');
    const rules = loadConfig(f).principals;
    let err: unknown;
    try {
      applyPrincipalRules(demo(), rules);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(/old-glob\.yaml: \$\.principals\[1\]\.match: glob "\*" no longer matches "hashicorp-vault:[^"]+\/[^"]+": `\*` now stays within one path segment .*write "\*\*"/);
  });

  it('a glob the one glob refuses is refused when the config loads', () => {
    const f = join(work, 'bad-glob.yaml');
    writeFileSync(f, 'version: 1\nprincipals:\n  - { match: "orchestrator**", subsystem: control-plane }\n');
    expect(() => loadConfig(f)).toThrow('$.principals[0].match: expected a glob (README "Globs"); "orchestrator**" has `**` inside a path segment');
  });

  it('evaluation with the mapping judges a principal the collector could not place (error without it)', async () => {
    requireBuiltBundle();
    const s = demo();
    delete s.principals['aad:sp-jamf-connector']!.subsystem;
    const snap = join(work, 'snap.json');
    writeFileSync(snap, JSON.stringify(s));
    const cfg = join(work, 'vaultproof.yaml');
    writeFileSync(cfg, 'version: 1\nprincipals:\n  - { match: "jamf-connector", subsystem: connectors/jamf }\n');
    const statuses = async (...extra: string[]) => {
      const io = fakeConsole();
      await run(['evaluate', snap, '--format', 'json', ...extra], io);
      const doc = JSON.parse(io.stdout) as FindingsDocument;
      return doc.findings.filter((f) => f.rule_id === 'VP-ACC-004' && f.message.includes("'jamf-connector'")).map((f) => f.status);
    };
    const without = await statuses();
    expect(without.length).toBeGreaterThan(0);
    expect(new Set(without)).toEqual(new Set(['error']));
    expect(await statuses('--config', cfg)).toEqual(without.map(() => 'pass'));
  });
});
