/**
 * Opt-in: runs the collector against a real Vault when VAULT_ADDR and VAULT_TOKEN are set (a dev
 * server is enough: `vault server -dev`). Seeds its own KV v2 mount and secrets (through node-vault
 * directly, NOT through the collector's guarded client), collects, checks the seeded metadata and that
 * the canary values appear nowhere, then removes the mount. Skips, saying so, when unset — a real Vault
 * cannot be installed on this project's machines, so CI cannot provide one.
 */
import nodeVault from 'node-vault';
import { randomUUID } from 'node:crypto';
import { collectHashicorpVaultDetailed } from '../../../src/collectors/hashicorp-vault/index.js';
import { parseHashicorpConfig } from '../../../src/collectors/hashicorp-vault/config.js';

const addr = process.env.VAULT_ADDR;
const token = process.env.VAULT_TOKEN;
const enabled = Boolean(addr && token);
if (!enabled) console.log('real-vault integration test skipped: set VAULT_ADDR and VAULT_TOKEN (e.g. a `vault server -dev`) to run it');

(enabled ? describe : describe.skip)('HashiCorp Vault collector against a real Vault (VAULT_ADDR/VAULT_TOKEN)', () => {
  const mount = `vaultproof-it-${randomUUID().slice(0, 8)}`;
  const canaries = [`CANARY-${randomUUID()}`, `CANARY-${randomUUID()}`, `CANARY-${randomUUID()}`];
  const admin = nodeVault({ endpoint: addr, token });

  beforeAll(async () => {
    await admin.write(`sys/mounts/${mount}`, { type: 'kv', options: { version: '2' } });
    await admin.write(`${mount}/config`, { max_versions: 4, delete_version_after: '720h' });
    await admin.write(`${mount}/data/app/db`, { data: { password: canaries[0] } });
    await admin.write(`${mount}/data/app/db`, { data: { password: canaries[1] } });
    await admin.write(`${mount}/data/team/api-token`, { data: { token: canaries[2] } });
    await admin.write(`${mount}/metadata/team/api-token`, { custom_metadata: { owner: 'team' } });
  });
  afterAll(async () => {
    await admin.delete(`sys/mounts/${mount}`);
  });

  it('collects the seeded KV v2 metadata and never a value', async () => {
    const cfg = parseHashicorpConfig([{ name: 'real', region: 'local', root_tokens: false }], 'integration', process.env);
    const { fragment, clusters } = await collectHashicorpVaultDetailed(cfg, { now: Math.floor(Date.now() / 1000), deadline: Date.now() + 120_000 });
    const vault = fragment.vaults['hashicorp-vault:real'];
    const kvScope = fragment.scopes.find((s) => s.scope === `hashicorp-vault:real#kv:${mount}/`);
    expect(kvScope?.status).toBe('complete');
    expect(vault?.hashicorp?.mounts[`${mount}/`]).toMatchObject({ kv_version: 2, max_versions: 4, delete_version_after_seconds: 2592000 });
    const db = vault?.objects[`hashicorp-vault:real:kv:${mount}/app/db`];
    expect(db).toMatchObject({ current_version: '2', enabled: true });
    expect(Object.keys(db?.versions ?? {})).toEqual(['1', '2']);
    expect(vault?.objects[`hashicorp-vault:real:kv:${mount}/team/api-token`]?.tags).toEqual({ owner: 'team' });
    const out = JSON.stringify(fragment) + JSON.stringify(clusters[0]?.requestLog);
    for (const c of canaries) expect(out).not.toContain(c);
    expect(clusters[0]?.requestLog.some((r) => r.path.startsWith(`${mount}/data/`))).toBe(false);
  });
});
