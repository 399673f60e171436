import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectHashicorpVaultDetailed } from '../../../src/collectors/hashicorp-vault/index.js';
import { LOGINS, ROOT_TOKEN, SCANNER_TOKEN } from '../../support/vault-test-server/fixture.js';
import { kvMount, ns, putKv2 } from '../../support/vault-test-server/state.js';
import { config, ctx, startPair, type Pair } from './helpers.js';

/** A stand-in for the Azure Instance Metadata Service managed-identity token endpoint. */
async function startImds(token: string): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.headers.metadata} ${req.url}`);
    if (req.headers.metadata !== 'true') {
      res.writeHead(400).end('{}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: '3599' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise((r) => server.close(() => r())) };
}

describe('HashiCorp Vault collector: login methods, OSS vs Enterprise, namespaces', () => {
  let pair: Pair;
  afterEach(async () => pair.close());

  it.each(['approle', 'kubernetes', 'jwt', 'azure'] as const)('logs in with %s and collects with the policies of the issued token', async (method) => {
    pair = await startPair();
    const dir = mkdtempSync(join(tmpdir(), 'vp-vault-'));
    const imds = await startImds(LOGINS.azure.jwt);
    try {
      const jwtFile = join(dir, 'token');
      writeFileSync(jwtFile, `${LOGINS.kubernetes.jwt}\n`);
      const auth = {
        approle: { method: 'approle', role_id_env: 'VP_ROLE_ID', secret_id_env: 'VP_SECRET_ID' },
        kubernetes: { method: 'kubernetes', role: LOGINS.kubernetes.role, jwt_file: jwtFile },
        jwt: { method: 'jwt', role: LOGINS.jwt.role, jwt_env: 'VP_JWT' },
        azure: { method: 'azure', role: LOGINS.azure.role, imds_endpoint: imds.url },
      }[method];
      const env = { VP_ROLE_ID: LOGINS.approle.role_id, VP_SECRET_ID: LOGINS.approle.secret_id, VP_JWT: LOGINS.jwt.jwt };
      const cfg = config(pair, { auth }, env);
      cfg.clusters = cfg.clusters.filter((c) => c.name === 'east');
      delete cfg.clusters[0]?.replicates_to;
      const { fragment, clusters } = await collectHashicorpVaultDetailed(cfg, ctx(), { env });
      expect(fragment.scopes.filter((s) => s.status === 'incomplete')).toEqual([]);
      expect(fragment.identities[0]?.policies).toEqual(['default', 'vaultproof-scanner']);
      const logins = clusters[0]?.requestLog.filter((r) => r.method === 'POST' && r.path.endsWith('/login'));
      expect(logins?.map((r) => [r.path, r.status])).toEqual([[`auth/${method}/login`, 200]]);
      if (method === 'azure') expect(imds.seen[0]).toMatch(/^true \/metadata\/identity\/oauth2\/token\?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com%2F$/);
      // Credentials never reach the outputs.
      const out = JSON.stringify(fragment) + JSON.stringify(clusters[0]?.requestLog);
      for (const secret of [LOGINS.approle.secret_id, LOGINS.kubernetes.jwt, LOGINS.jwt.jwt, LOGINS.azure.jwt]) expect(out).not.toContain(secret);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await imds.close();
    }
  });

  it('records a failed login (wrong secret id) as an incomplete login scope', async () => {
    pair = await startPair();
    const env = { VP_ROLE_ID: LOGINS.approle.role_id, VP_SECRET_ID: 'nope' };
    const cfg = config(pair, { auth: { method: 'approle', role_id_env: 'VP_ROLE_ID', secret_id_env: 'VP_SECRET_ID' } }, env);
    const { fragment } = await collectHashicorpVaultDetailed(cfg, ctx(), { env: { ...env, VAULT_TOKEN: SCANNER_TOKEN } });
    expect(fragment.scopes.find((s) => s.scope === 'hashicorp-vault:east#login')).toMatchObject({ status: 'incomplete', reason: 'cannot authenticate with approle auth: POST auth/approle/login: HTTP 400 (invalid credentials)' });
  });

  it('on OSS: Enterprise-only endpoints answer 404; replication is reported not available and namespace discovery incomplete', async () => {
    pair = await startPair('oss');
    const { fragment } = await collectHashicorpVaultDetailed(config(pair, { discover_namespaces: true }), ctx(), { env: { VAULT_TOKEN: SCANNER_TOKEN } });
    const east = fragment.vaults['hashicorp-vault:east'];
    expect(east?.hashicorp).toMatchObject({ enterprise: false, version: '1.16.3' });
    expect(fragment.replication['hashicorp-vault:east->hashicorp-vault:west']?.status).toEqual({ state: 'not-available', connection_state: 'none', last_heartbeat: null, primary_last_wal: null, secondary_last_wal: null });
    expect(fragment.scopes.filter((s) => s.status === 'incomplete')).toEqual([
      { provider: 'hashicorp-vault', scope: 'hashicorp-vault:east#namespaces', status: 'incomplete', reason: 'namespace discovery needs Vault Enterprise; the server reports version 1.16.3' },
    ]);
    expect(pair.primary.log.find((r) => r.path === 'sys/replication/status')?.status).toBe(404);
  });

  it('on Enterprise: discovers namespaces recursively and collects each as its own vault entry (X-Vault-Namespace)', async () => {
    pair = await startPair();
    const st = pair.primary.state;
    const teamA = ns(st, 'team-a');
    const kv = kvMount('kv', '2');
    teamA.mounts.set('apps/', kv);
    putKv2(kv, 'web/api-key', [{ v: 'CANARY-ns-value' }]);
    const nested = ns(st, 'team-a/sub');
    nested.mounts.set('kv/', kvMount('kv', '2'));
    putKv2(nested.mounts.get('kv/') as ReturnType<typeof kvMount>, 'x', [{ v: 'CANARY-ns-nested' }]);
    const cfg = config(pair, { discover_namespaces: true }, { VAULT_TOKEN: ROOT_TOKEN });
    cfg.clusters = cfg.clusters.filter((c) => c.name === 'east');
    const { fragment } = await collectHashicorpVaultDetailed(cfg, ctx(), { env: { VAULT_TOKEN: ROOT_TOKEN } });
    expect(fragment.scopes.filter((s) => s.status === 'incomplete')).toEqual([]);
    expect(Object.keys(fragment.vaults).sort()).toEqual(['hashicorp-vault:east', 'hashicorp-vault:east/team-a', 'hashicorp-vault:east/team-a/sub']);
    const a = fragment.vaults['hashicorp-vault:east/team-a'];
    expect(a).toMatchObject({ name: 'east/team-a', hashicorp: { namespace: 'team-a' } });
    expect(Object.keys(a?.objects ?? {})).toEqual(['hashicorp-vault:east/team-a:kv:apps/web/api-key']);
    expect(Object.keys(fragment.vaults['hashicorp-vault:east/team-a/sub']?.objects ?? {})).toEqual(['hashicorp-vault:east/team-a/sub:kv:kv/x']);
    expect(pair.primary.log.some((r) => r.namespace === 'team-a/sub' && r.path === 'kv/metadata/x')).toBe(true);
    expect(JSON.stringify(fragment)).not.toContain('CANARY-ns');
  });
});
