/** Where vaultproof.yaml declares its blocks, vaults and clusters (config/positions.ts), through loadConfig. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { configPositions, lineOfVault } from '../../src/config/positions.js';

const CONFIG = `# a comment
version: 1

azure:
  subscriptions: [00000000-0000-0000-0000-000000000000]
  data_plane_only:
    vaults:
      - { url: https://kv-ops-weu.vault.azure.net, region: westeurope }
      - url: https://kv-other.vault.azure.net
        name: kv-named
  mapping:
    vaults:
      kv-mapped: { subsystem: control-plane }
hashicorp:
  - name: east
    address: https://vault-east.example.internal:8200
    auth: { method: token }

  - address: https://vault-west.example.internal:8200
    name: west
    auth: { method: token }
`;

describe('config positions', () => {
  const p = configPositions(CONFIG);

  it('gives each top-level block its line', () => {
    expect(p.blocks).toEqual({ version: 2, azure: 4, hashicorp: 14 });
  });

  it('gives each vault and cluster entry the line of its first key', () => {
    expect(p.vaults).toEqual([
      { provider: 'azure-keyvault', name: 'kv-ops-weu', line: 8 },
      { provider: 'azure-keyvault', name: 'kv-named', line: 9 },
      { provider: 'azure-keyvault', name: 'kv-mapped', line: 13 },
      { provider: 'hashicorp-vault', name: 'east', line: 15 },
      { provider: 'hashicorp-vault', name: 'west', line: 19 },
    ]);
  });

  it('locates a finding: its vault, its cluster (namespaces too), else its provider block', () => {
    expect(lineOfVault(p, 'hashicorp-vault', 'west')).toBe(19);
    expect(lineOfVault(p, 'hashicorp-vault', 'east/team-a')).toBe(15);
    expect(lineOfVault(p, 'hashicorp-vault', 'eastern')).toBe(14);
    expect(lineOfVault(p, 'azure-keyvault', 'kv-named')).toBe(9);
    expect(lineOfVault(p, 'azure-keyvault', 'kv-found-by-discovery')).toBe(4);
    expect(lineOfVault(p, 'azure-keyvault', '')).toBe(4);
    expect(lineOfVault(configPositions('version: 1\n'), 'azure-keyvault', 'kv')).toBeUndefined();
  });

  it('loadConfig keeps the positions with the file and its digest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vp-positions-'));
    try {
      const file = join(dir, 'vaultproof.yaml');
      writeFileSync(file, 'version: 1\n\nhashicorp:\n  - name: east\n    address: https://vault.example:8200\n    auth: { method: token }\n');
      const cfg = loadConfig(file);
      expect(cfg.source?.positions?.vaults).toEqual([{ provider: 'hashicorp-vault', name: 'east', line: 4 }]);
      expect(cfg.source?.sha256).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
