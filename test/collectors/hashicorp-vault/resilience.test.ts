import { collectHashicorpVaultDetailed } from '../../../src/collectors/hashicorp-vault/index.js';
import { SCANNER_TOKEN, SCANNING_POLICY_WITH_KV1 } from '../../support/vault-test-server/fixture.js';
import { config, ctx, startPair, type Pair } from './helpers.js';

const env = { VAULT_TOKEN: SCANNER_TOKEN };

describe('HashiCorp Vault collector resilience (fault injection over real HTTP)', () => {
  let pair: Pair;
  beforeEach(async () => {
    pair = await startPair();
  });
  afterEach(async () => pair.close());

  it('retries 429 (honouring Retry-After), 500, 503, connection resets and slow responses, then completes', async () => {
    pair.primary.faults.push(
      { match: /^GET project\/metadata\/control-plane/, action: { status: 429, retryAfter: '1' }, times: 1 },
      { match: /^LIST project\/metadata$/, action: { status: 503 }, times: 2 },
      { match: /^GET sys\/mounts$/, action: { status: 500 }, times: 1 },
      { match: /^GET project\/metadata\/emergency/, action: { reset: true }, times: 1 },
      { match: /^GET secret\/metadata\/app/, action: { delayMs: 1500 }, times: 1 },
    );
    const t0 = Date.now();
    const { fragment, clusters } = await collectHashicorpVaultDetailed(config(pair, { timeout_seconds: 1 }), ctx(), { env });
    expect(fragment.scopes.filter((s) => s.status === 'incomplete')).toEqual([]);
    // 7 KV v2 secrets, the KV v1 secret legacy/old/api-key and the 2 transit keys.
    expect(Object.keys(fragment.vaults['hashicorp-vault:east']?.objects ?? {})).toHaveLength(10);
    const log = clusters.find((c) => c.name === 'east')?.requestLog ?? [];
    const tries = (re: RegExp) => log.filter((r) => re.test(`${r.method} ${r.path}`)).map((r) => [r.attempt, r.status]);
    expect(tries(/^GET project\/metadata\/control-plane/)).toEqual([[1, 429], [2, 200]]);
    expect(tries(/^LIST project\/metadata\/$/)).toEqual([[1, 503], [2, 503], [3, 200]]);
    expect(tries(/^GET sys\/mounts$/)).toEqual([[1, 500], [2, 200]]);
    expect(tries(/^GET project\/metadata\/emergency/)).toEqual([[1, 'error:ECONNRESET'], [2, 200]]);
    expect(tries(/^GET secret\/metadata\/app/)).toEqual([[1, 'error:ETIMEDOUT'], [2, 200]]);
    // Retry-After: 1 was honoured (the backoff alone would be ~250 ms at most).
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
  });

  it('records a scope incomplete with the reason once retries are exhausted, and keeps going', async () => {
    pair.primary.faults.push({ match: /^GET project\/metadata\/publish/, action: { status: 503 } });
    const { fragment } = await collectHashicorpVaultDetailed(config(pair, { retries: 1 }), ctx(), { env });
    const scope = fragment.scopes.find((s) => s.scope === 'hashicorp-vault:east#kv:project/');
    expect(scope).toMatchObject({ status: 'incomplete', reason: expect.stringMatching(/gave up after 2 attempts: GET project\/metadata\/publish\/store-credentials: HTTP 503/) });
    expect(Object.keys(fragment.vaults['hashicorp-vault:east']?.objects ?? {})).toHaveLength(9);
    expect(fragment.scopes.filter((s) => s.status === 'incomplete')).toHaveLength(1);
  });

  it('records a KV v1 mount the token may not list as incomplete, never as an empty mount (issue 15)', async () => {
    const noKv1 = SCANNING_POLICY_WITH_KV1.replace('path "legacy/*" { capabilities = ["list"] }', '');
    expect(noKv1).not.toBe(SCANNING_POLICY_WITH_KV1);
    pair.primary.state.namespaces.get('')?.policies.set('vaultproof-scanner', noKv1);
    const { fragment } = await collectHashicorpVaultDetailed(config(pair), ctx(), { env });
    expect(fragment.scopes.filter((s) => s.status === 'incomplete')).toEqual([
      { provider: 'hashicorp-vault', scope: 'hashicorp-vault:east#kv:legacy/', status: 'incomplete', reason: expect.stringContaining('lacks "list" on legacy/') },
    ]);
  });

  it('degrades an endpoint the token may not call (sys/audit without sudo) to an incomplete scope naming the capability', async () => {
    const noSudo = SCANNING_POLICY_WITH_KV1.replace('path "sys/audit" { capabilities = ["read", "sudo"] }', 'path "sys/audit" { capabilities = ["read"] }');
    expect(noSudo).not.toBe(SCANNING_POLICY_WITH_KV1);
    pair.primary.state.namespaces.get('')?.policies.set('vaultproof-scanner', noSudo);
    const { fragment } = await collectHashicorpVaultDetailed(config(pair), ctx(), { env });
    const incomplete = fragment.scopes.filter((s) => s.status === 'incomplete');
    expect(incomplete).toEqual([
      { provider: 'hashicorp-vault', scope: 'hashicorp-vault:east#audit', status: 'incomplete', reason: 'HTTP 403 permission denied on GET sys/audit: the scanning token lacks "read+sudo" on sys/audit' },
    ]);
    expect(fragment.vaults['hashicorp-vault:east']?.audit.destinations).toBeNull();
    expect(fragment.vaults['hashicorp-vault:west']?.audit.destinations).toHaveLength(1);
  });

  it('marks scopes incomplete (never empty-and-complete) when the deadline passes mid-collection', async () => {
    pair.primary.faults.push({ match: /metadata\//, action: { delayMs: 400 } });
    const { fragment } = await collectHashicorpVaultDetailed(config(pair, { concurrency: 2 }), ctx(900), { env });
    // The KV v2 mounts (whose metadata reads are delayed); the KV v1 mount legacy/ is only listed.
    const kv = fragment.scopes.filter((s) => /^hashicorp-vault:east#kv:(project|secret)\/$/.test(s.scope));
    expect(kv.length).toBe(2);
    for (const s of kv) expect(s).toMatchObject({ status: 'incomplete', reason: expect.stringMatching(/deadline/) });
    const objects = Object.keys(fragment.vaults['hashicorp-vault:east']?.objects ?? {}).filter((id) => !id.includes(':kv:legacy/')).length;
    expect(objects).toBeLessThan(7);
  });

  it('records an unusable token as a failed login, not as empty results', async () => {
    const { fragment } = await collectHashicorpVaultDetailed(config(pair), ctx(), { env: { VAULT_TOKEN: 'hvs.wrong' } });
    const east = fragment.scopes.filter((s) => s.scope.startsWith('hashicorp-vault:east'));
    expect(east).toEqual([
      expect.objectContaining({ scope: 'hashicorp-vault:east#collection', status: 'incomplete', reason: 'not collected: login failed' }),
      expect.objectContaining({ scope: 'hashicorp-vault:east#login', status: 'incomplete', reason: 'cannot authenticate with token auth: Vault rejected the token (HTTP 403 on auth/token/lookup-self: invalid, expired or revoked)' }),
      // sys/replication/status needs no token: it is read even without a login (a DR secondary refuses logins).
      { provider: 'hashicorp-vault', scope: 'hashicorp-vault:east#replication', status: 'complete' },
    ]);
    expect(fragment.vaults['hashicorp-vault:east']?.audit.destinations).toBeNull();
  });
});
