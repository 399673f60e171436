/**
 * The policies match config patterns with Rego's glob.match, the TypeScript side with the one glob
 * (src/util/glob.ts). The engine hands Rego the patterns compiled by src/util/glob-rego.ts; on the
 * whole table both Rego evaluators (opa eval, and the WASM the scans run) must agree with the glob,
 * called the way the policies call it: glob.match(p, ["/"], path) for paths, glob.match(p, [], s)
 * for names and content types.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { globRegExp } from '../../src/util/glob.js';
import { regoContentTypeGlob, regoNameGlob, regoPathGlob } from '../../src/util/glob-rego.js';
import { policyData } from '../../src/engine/config-data.js';
import { requireOpa } from '../support/prerequisites.js';
import { CONTENT_TYPE_CASES, NAME_CASES, PATH_CASES } from './glob-cases.js';

const REGO = `package globcheck

import rego.v1

results := [m(c) | some c in input.cases]

m(c) := glob.match(c.rego, ["/"], c.subject) if c.kind == "path"

m(c) := glob.match(c.rego, [], c.subject) if c.kind != "path"
`;

const cases = [
  ...PATH_CASES.map(([pattern, subject]) => ({ kind: 'path', pattern, subject, rego: regoPathGlob(pattern) })),
  ...NAME_CASES.map(([pattern, subject]) => ({ kind: 'name', pattern, subject, rego: regoNameGlob(pattern) })),
  ...CONTENT_TYPE_CASES.map(([pattern, subject]) => ({ kind: 'content-type', pattern, subject, rego: regoContentTypeGlob(pattern) })),
];
const expected = cases.map((c) => `${c.kind} ${JSON.stringify(c.pattern)} ${JSON.stringify(c.subject)}: ${globRegExp(c.pattern).test(c.subject)}`);
const shown = (results: boolean[]) => cases.map((c, i) => `${c.kind} ${JSON.stringify(c.pattern)} ${JSON.stringify(c.subject)}: ${results[i]}`);

describe('Rego reads the compiled globs as the one glob means them', () => {
  const opa = requireOpa();
  const maybe = opa ? it : it.skip;
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'vp-glob-'));
    writeFileSync(join(work, 'globcheck.rego'), REGO);
    writeFileSync(join(work, 'input.json'), JSON.stringify({ cases }));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  maybe('opa eval (the Go evaluator, as `opa test` and the differential test run it)', () => {
    const out = JSON.parse(execFileSync(opa as string, ['eval', '--format', 'json', '-d', join(work, 'globcheck.rego'), '--input', join(work, 'input.json'), 'data.globcheck.results'], { encoding: 'utf8' })) as { result: Array<{ expressions: Array<{ value: boolean[] }> }> };
    expect(shown(out.result[0]?.expressions[0]?.value ?? [])).toEqual(expected);
  });

  maybe('the WASM build (what scans evaluate)', async () => {
    execFileSync(opa as string, ['build', '-t', 'wasm', '-e', 'globcheck/results', '-o', join(work, 'bundle.tar.gz'), join(work, 'globcheck.rego')], { cwd: work });
    execFileSync('tar', ['-xzf', join(work, 'bundle.tar.gz'), '-C', work, '/policy.wasm']);
    const policy = await loadPolicy(readFileSync(join(work, 'policy.wasm')));
    const result = policy.evaluate({ cases }) as Array<{ result: boolean[] }>;
    expect(shown(result[0]?.result ?? [])).toEqual(expected);
  }, 60_000);

  it('the engine hands the policies compiled patterns, and only where a glob is', () => {
    const data = policyData({
      thresholds: { break_glass_paths: ['**/break-glass/**'], known_subsystems: ['connectors/*'], admin_policies: ['platform-admin*'], hsm_required_key_types: ['*'], rotation_days: { 'api-token': 45 } },
      classification: [{ type: 'api-token', match: { path: 'apps/**/token*' } }, { type: 'sp-certificate', match: { content_type: 'application/*' } }, { type: 'signing-key', match: { kind: 'key' } }],
    });
    expect(data.thresholds).toEqual({ break_glass_paths: ['{,**/}break-glass{,/**}'], known_subsystems: ['connectors/*'], admin_policies: ['platform-admin**'], hsm_required_key_types: ['[!/]**'], rotation_days: { 'api-token': 45 } });
    expect(data.classification.map((c) => c.match)).toEqual([{ path: 'apps{/,/**/}token*' }, { content_type: 'application/**' }, { kind: 'key' }]);
  });
});
