/**
 * Where a run's SARIF results point (renderers/sarif-locations.ts), on real directories: the config
 * inside the scanned repository (found by .git or GITHUB_WORKSPACE) with the line of each vault's
 * entry; without one, the policies only when the repository holds them; else no file at all.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VaultproofConfig } from '../../src/config/load.js';
import { configPositions } from '../../src/config/positions.js';
import { repositoryRoot, sarifLocations } from '../../src/renderers/sarif-locations.js';
import type { FindingResource } from '../../src/findings/types.js';

const CONFIG = 'version: 1\nhashicorp:\n  - name: east\n    address: https://vault.example:8200\n';

describe('SARIF locations of a run', () => {
  let base: string;
  let repo: string;
  const config = (file: string): VaultproofConfig => ({ version: 1, source: { file, sha256: '0'.repeat(64), positions: configPositions(CONFIG) } });
  const res = (vault: string): FindingResource => ({ provider: 'hashicorp-vault', vault, type: 'vault', id: vault, path: '' });

  beforeAll(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'vp-sarif-loc-')));
    repo = join(base, 'repo');
    mkdirSync(join(repo, '.git'), { recursive: true });
    mkdirSync(join(repo, 'deploy', 'scan'), { recursive: true });
    writeFileSync(join(repo, 'deploy', 'vaultproof.yaml'), CONFIG);
    writeFileSync(join(base, 'outside.yaml'), CONFIG);
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('a config inside the repository: its repository-relative path and the line of the cluster entry', () => {
    const opts = sarifLocations(config('../vaultproof.yaml'), { cwd: join(repo, 'deploy', 'scan'), env: {}, packageRoot: '/opt/vaultproof' });
    expect(opts.locationFile?.uri).toBe('deploy/vaultproof.yaml');
    expect(opts.locationFile?.lineOf?.(res('east'))).toBe(3);
    expect(opts.locationFile?.lineOf?.(res('west'))).toBe(2);
    expect(opts.policyRoot).toBeUndefined();
  });

  it('GITHUB_WORKSPACE is the repository root when set', () => {
    expect(repositoryRoot(join(base), { GITHUB_WORKSPACE: repo })).toBe(repo);
    const opts = sarifLocations(config(join(repo, 'deploy', 'vaultproof.yaml')), { cwd: base, env: { GITHUB_WORKSPACE: join(repo, 'deploy') }, packageRoot: '/opt/vaultproof' });
    expect(opts.locationFile?.uri).toBe('vaultproof.yaml');
  });

  it('no config: the policies when vaultproof runs from inside the repository (its own checkout, or vendored)', () => {
    expect(sarifLocations(undefined, { cwd: repo, env: {}, packageRoot: repo }).policyRoot).toBe('');
    mkdirSync(join(repo, 'tools', 'vaultproof'), { recursive: true });
    expect(sarifLocations(undefined, { cwd: join(repo, 'deploy'), env: {}, packageRoot: join(repo, 'tools', 'vaultproof') }).policyRoot).toBe('tools/vaultproof');
  });

  it('no file location when neither the config nor the policies are in the repository', () => {
    mkdirSync(join(repo, 'node_modules', 'vaultproof'), { recursive: true });
    expect(sarifLocations(undefined, { cwd: repo, env: {}, packageRoot: join(repo, 'node_modules', 'vaultproof') })).toEqual({});
    expect(sarifLocations(undefined, { cwd: repo, env: {}, packageRoot: '/opt/vaultproof' })).toEqual({});
    // A config outside the repository does not make a path that climbs out of it.
    const outside = sarifLocations(config(join(base, 'outside.yaml')), { cwd: repo, env: { GITHUB_WORKSPACE: repo }, packageRoot: '/opt/vaultproof' });
    expect(outside.locationFile).toBeUndefined();
    // Standard input has no file to point at.
    expect(sarifLocations(config('-'), { cwd: repo, env: {}, packageRoot: '/opt/vaultproof' }).locationFile).toBeUndefined();
  });

  it('VAULTPROOF_RULE_DOCS_URL sets where the rule pages are', () => {
    expect(sarifLocations(undefined, { cwd: base, env: { VAULTPROOF_RULE_DOCS_URL: 'https://wiki.example/vaultproof/rules' } }).ruleDocsBase).toBe('https://wiki.example/vaultproof/rules');
  });
});
