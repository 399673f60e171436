/**
 * `evaluate SNAPSHOT --config vaultproof.yaml --format sarif` through the CLI: every result points at
 * the config inside the repository (path relative to its root), at the line of the vault's or
 * cluster's entry, or of its provider's block for a vault the config does not name.
 * Needs the compiled bundle (`npm run build:policies`): outside CI its absence skips with a reason.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultBundleDir } from '../../src/engine/bundle.js';
import { run } from '../../src/cli/main.js';
import { fakeConsole } from '../support/fake-console.js';
import { describeWith } from '../siem/helpers/prereq.js';

const here = dirname(fileURLToPath(import.meta.url));
const demo = resolve(here, '../../fixtures/demo/snapshot.json');
const ready = existsSync(join(defaultBundleDir(), 'policy.wasm')) ? 'yes' : undefined;

const CONFIG = `version: 1
azure:
  subscriptions: [00000000-0000-0000-0000-000000000000]
  mapping:
    vaults:
      kv-platform-weu: { subsystem: control-plane }
hashicorp:
  - name: vault-weu
    address: https://vault-weu.example.internal:8200
    auth: { method: token }
  - name: vault-neu
    address: https://vault-neu.example.internal:8200
    auth: { method: token }
`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describeWith('the compiled policy bundle', ready, 'run `npm run build:policies`')('SARIF located in vaultproof.yaml through the CLI', () => {
  let repo: string;
  const saved = process.env.GITHUB_WORKSPACE;
  beforeAll(() => {
    repo = realpathSync(mkdtempSync(join(tmpdir(), 'vp-sarif-cli-')));
    mkdirSync(join(repo, '.git'));
    mkdirSync(join(repo, 'ci'));
    writeFileSync(join(repo, 'ci', 'vaultproof.yaml'), CONFIG);
    // As in GitHub Actions: the workspace is the repository checked out.
    process.env.GITHUB_WORKSPACE = repo;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.GITHUB_WORKSPACE;
    else process.env.GITHUB_WORKSPACE = saved;
    rmSync(repo, { recursive: true, force: true });
  });

  it('points each result at the line of its vault or cluster entry, else its provider block', async () => {
    const out = join(repo, 'vaultproof.sarif');
    const code = await run(['evaluate', demo, '--config', join(repo, 'ci', 'vaultproof.yaml'), '--format', 'sarif', '--out', out], fakeConsole(), {});
    expect(code).toBe(3);
    const sarif: Json = JSON.parse(readFileSync(out, 'utf8'));
    const lineOf: Record<string, number> = {};
    for (const r of sarif.runs[0].results) {
      const phys = r.locations[0].physicalLocation;
      expect(phys.artifactLocation).toEqual({ uri: 'ci/vaultproof.yaml', uriBaseId: '%SRCROOT%' });
      const key = `${r.properties.resource.provider} ${r.properties.resource.vault}`;
      expect(lineOf[key] ?? phys.region.startLine).toBe(phys.region.startLine);
      lineOf[key] = phys.region.startLine;
    }
    expect(lineOf).toMatchObject({
      'hashicorp-vault vault-weu': 8,
      'hashicorp-vault vault-neu': 11,
      'azure-keyvault kv-platform-weu': 6,
      'azure-keyvault kv-cab-neu': 2,
      'azure-keyvault ': 2,
    });
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications.map((n: Json) => n.descriptor.id)).not.toContain('VP-SARIF-NO-FILE-LOCATION');
  });
});
