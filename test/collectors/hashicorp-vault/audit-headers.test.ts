/**
 * Audited request headers (issue 20, VP-HCV-011): `GET sys/config/auditing/request-headers` with the
 * README scanning policy (read+sudo), the header the scan's correlation id travels in, and an
 * unreadable list as an incomplete scope (never a pass).
 */
import { collectHashicorpVaultDetailed } from '../../../src/collectors/hashicorp-vault/index.js';
import { toAuditedHeaders } from '../../../src/collectors/hashicorp-vault/transform-server-config.js';
import { SCANNER_TOKEN, SCANNING_POLICY_WITH_KV1 } from '../../support/vault-test-server/fixture.js';
import { config, ctx, startPair, type Pair } from './helpers.js';

const env = { VAULT_TOKEN: SCANNER_TOKEN };
const GRANT = 'path "sys/config/auditing/request-headers" { capabilities = ["read", "sudo"] }';

describe('HashiCorp Vault audited request headers', () => {
  let pair: Pair;
  beforeEach(async () => {
    pair = await startPair();
  });
  afterEach(async () => pair.close());

  it('reads the audited headers with the README policy and records the header the correlation id is sent in', async () => {
    pair.primary.state.auditHeaders = { 'X-Request-Id': { hmac: true }, 'user-agent': {} };
    const { fragment, clusters } = await collectHashicorpVaultDetailed(config(pair), { ...ctx(), correlationId: 'chg-4711', correlationHeader: 'X-Request-Id' }, { env });
    expect(fragment.scopes.find((s) => s.scope === 'hashicorp-vault:east#audit-headers')?.status).toBe('complete');
    const east = fragment.vaults['hashicorp-vault:east']?.hashicorp;
    expect(east?.audited_request_headers).toEqual({ 'user-agent': { hmac: false }, 'x-request-id': { hmac: true } });
    expect(east?.correlation_header).toBe('x-request-id');
    expect(fragment.vaults['hashicorp-vault:west']?.hashicorp?.audited_request_headers).toEqual({ 'correlation-id': { hmac: false }, 'user-agent': { hmac: false }, 'x-correlation-id': { hmac: false } });
    // the correlation id travels in that header on every request
    expect(pair.primary.log.length).toBeGreaterThan(0);
    expect(pair.primary.log.every((r) => r.headers?.['x-request-id'] === 'chg-4711')).toBe(true);
    const east1 = clusters.find((c) => c.name === 'east');
    expect(east1?.requestLog.filter((r) => r.path.startsWith('sys/config/auditing')).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET sys/config/auditing/request-headers 200']);
  });

  it('defaults the correlation header to x-correlation-id', async () => {
    const { fragment } = await collectHashicorpVaultDetailed(config(pair), ctx(), { env });
    expect(fragment.vaults['hashicorp-vault:east']?.hashicorp?.correlation_header).toBe('x-correlation-id');
  });

  it('records the list as unread (null, scope incomplete naming read+sudo) when the policy does not grant it', async () => {
    const without = SCANNING_POLICY_WITH_KV1.replace(GRANT, 'path "sys/config/auditing/request-headers" { capabilities = ["read"] }');
    expect(without).not.toBe(SCANNING_POLICY_WITH_KV1);
    pair.primary.state.namespaces.get('')?.policies.set('vaultproof-scanner', without);
    const { fragment } = await collectHashicorpVaultDetailed(config(pair), ctx(), { env });
    expect(fragment.scopes.filter((s) => s.status === 'incomplete')).toEqual([
      {
        provider: 'hashicorp-vault',
        scope: 'hashicorp-vault:east#audit-headers',
        status: 'incomplete',
        reason: 'HTTP 403 permission denied on GET sys/config/auditing/request-headers: the scanning token lacks "read+sudo" on sys/config/auditing/request-headers',
      },
    ]);
    expect(fragment.vaults['hashicorp-vault:east']?.hashicorp?.audited_request_headers).toBeNull();
  });

  it('toAuditedHeaders: lower-cases names, reads a missing hmac as false, keeps null as unread', () => {
    expect(toAuditedHeaders({ 'X-Correlation-Id': { hmac: false }, Foo: { hmac: true } })).toEqual({ foo: { hmac: true }, 'x-correlation-id': { hmac: false } });
    expect(toAuditedHeaders(null)).toBeNull();
  });
});
