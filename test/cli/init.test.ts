/**
 * Issue 19.6: `vaultproof init --azure|--hashicorp` writes a starter vaultproof.yaml that loads
 * cleanly (and passes the published schema), the scanner's access (the documented Vault scanning
 * policy, the Azure role assignment commands with the README's least-privilege roles), and never
 * overwrites anything.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { run } from '../../src/cli/main.js';
import { AZURE_ROLES_FILE, SCANNING_POLICY_FILE, SCANNING_POLICY_SOURCE } from '../../src/cli/commands/init.js';
import { parseAzureConfig } from '../../src/collectors/azure-keyvault/index.js';
import { parseHashicorpConfig } from '../../src/collectors/hashicorp-vault/index.js';
import { loadConfig } from '../../src/config/load.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { fakeConsole } from '../support/fake-console.js';
import { requireBuiltBundle } from '../support/prerequisites.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;
let work: string;
let n = 0;
const freshDir = () => {
  const d = join(work, `d${++n}`);
  mkdirSync(d);
  return d;
};
beforeAll(() => {
  requireBuiltBundle();
  work = mkdtempSync(join(tmpdir(), 'vp-init-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function cli(cwd: string, ...args: string[]) {
  const io = fakeConsole();
  const code = await run(args, io, {}, { cwd });
  return { code, stdout: io.stdout, stderr: io.stderr };
}

function schemaValid(file: string): boolean {
  const ajv = new Ajv({ strict: false, allowUnionTypes: true });
  addFormats(ajv);
  return ajv.validate(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'schemas', 'vaultproof-config-v1.schema.json'), 'utf8')) as object, parse(readFileSync(file, 'utf8'))) as boolean;
}

describe('vaultproof init', () => {
  it('--hashicorp: a config that loads through the loader and the collector, and the documented scanning policy', async () => {
    const dir = freshDir();
    const r = await cli(dir, 'init', '--hashicorp');
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([SCANNING_POLICY_FILE, 'vaultproof.yaml'].sort());
    const file = join(dir, 'vaultproof.yaml');
    const cfg = loadConfig(file);
    expect(parseHashicorpConfig(cfg.hashicorp, file, {}).clusters[0]).toMatchObject({ name: 'vault', auth: { method: 'approle' } });
    expect(schemaValid(file)).toBe(true);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/vaultproof/schemas/vaultproof-config-v1.schema.json');
    // The very policy the collector's README documents and the real-Vault tests enforce.
    expect(readFileSync(join(dir, SCANNING_POLICY_FILE), 'utf8')).toBe(readFileSync(join(PACKAGE_ROOT, SCANNING_POLICY_SOURCE), 'utf8'));
    expect(r.stdout).toContain(`vault policy write vaultproof-scanner ${SCANNING_POLICY_FILE}`);
  });

  it('--azure: a config that loads, and the role assignment commands with the least-privilege roles', async () => {
    const dir = freshDir();
    const r = await cli(dir, 'init', '--azure');
    expect(r.code).toBe(0);
    const file = join(dir, 'vaultproof.yaml');
    const cfg = loadConfig(file);
    expect(parseAzureConfig(cfg.azure, file).subscriptions).toHaveLength(1);
    expect(schemaValid(file)).toBe(true);
    const script = readFileSync(join(dir, AZURE_ROLES_FILE), 'utf8');
    const roles = [...script.matchAll(/^az role assignment create .*--role "([^"]+)"/gm)].map((m) => m[1]);
    expect(roles).toEqual(['Reader', 'Key Vault Reader']);
    // The roles the Azure collector's README names as its least-privilege access, and nothing that reads values.
    const readme = readFileSync(join(PACKAGE_ROOT, 'src', 'collectors', 'azure-keyvault', 'README.md'), 'utf8');
    for (const role of roles) expect(readme).toContain(`**${role}** (built-in)`);
    expect(script).not.toMatch(/^az .*(Secrets User|Secrets Officer|Administrator|Contributor)/m);
    expect(script).toMatch(/graph_role Application\.Read\.All.*graph_role GroupMember\.Read\.All/);
    expect(spawnSync('sh', ['-n', join(dir, AZURE_ROLES_FILE)]).status).toBe(0);
  });

  it('--dir writes elsewhere; the written config is found by the next scan there', async () => {
    const dir = freshDir();
    expect((await cli(work, 'init', '--hashicorp', '--dir', dir)).code).toBe(0);
    const r = await cli(dir, 'collect', '--out', join(dir, 'snap.json'));
    expect(r.stderr).toContain(`using config ${join(dir, 'vaultproof.yaml')}`);
  });

  it('never overwrites: an existing file leaves everything as it was (exit 2, one line)', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, SCANNING_POLICY_FILE), 'mine\n');
    const r = await cli(dir, 'init', '--hashicorp');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([`vaultproof: error: ${join(dir, SCANNING_POLICY_FILE)}: exists already: init never overwrites; move it away or edit it`]);
    expect(readdirSync(dir)).toEqual([SCANNING_POLICY_FILE]);
    expect(readFileSync(join(dir, SCANNING_POLICY_FILE), 'utf8')).toBe('mine\n');
    const again = freshDir();
    expect((await cli(again, 'init', '--azure')).code).toBe(0);
    const before = readFileSync(join(again, 'vaultproof.yaml'), 'utf8');
    expect((await cli(again, 'init', '--azure')).code).toBe(2);
    expect(readFileSync(join(again, 'vaultproof.yaml'), 'utf8')).toBe(before);
  });

  it('needs exactly one of --azure and --hashicorp', async () => {
    for (const args of [[], ['--azure', '--hashicorp']]) {
      const dir = freshDir();
      const r = await cli(dir, 'init', ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('init: expected one of --azure or --hashicorp');
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it('the scanning policy it copies is shipped in the package (package.json files)', () => {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain(SCANNING_POLICY_SOURCE);
  });
});
