/**
 * Transit keys: the collector reads key properties only (LIST keys, GET keys/<name>), maps them to
 * objects of kind `key`, records an unreadable mount or key incomplete (never an empty list), and
 * the request guard refuses every transit call that returns or uses key material.
 */
import { GuardRefusedError, RequestGuard } from '../../../src/collectors/hashicorp-vault/guard.js';
import { collectHashicorpVaultDetailed } from '../../../src/collectors/hashicorp-vault/index.js';
import { toTransitObject } from '../../../src/collectors/hashicorp-vault/transform-transit.js';
import { SCANNER_TOKEN } from '../../support/vault-test-server/fixture.js';
import { NOW, config, ctx, startPair, type Pair } from './helpers.js';

const env = { VAULT_TOKEN: SCANNER_TOKEN };
const DAY = 86400;
const EAST = 'hashicorp-vault:east';

describe('request guard: transit mounts', () => {
  const guard = new RequestGuard();
  guard.setSecretMounts([
    { path: 'transit/', type: 'transit', kv_version: null },
    { path: 'team/transit/', type: 'transit', kv_version: null },
  ]);
  const refused = (m: 'GET' | 'LIST' | 'POST', p: string) => {
    try {
      guard.check(m, p);
      return false;
    } catch (e) {
      return e instanceof GuardRefusedError;
    }
  };

  it.each([
    ['GET', 'transit/export/encryption-key/app-encryption'],
    ['GET', 'transit/export/signing-key/webhook-signing/1'],
    ['GET', 'transit/export/hmac-key/app-encryption/latest'],
    ['GET', 'transit/backup/app-encryption'],
    ['POST', 'transit/decrypt/app-encryption'],
    ['POST', 'transit/datakey/plaintext/app-encryption'],
    ['POST', 'transit/datakey/wrapped/app-encryption'],
    ['POST', 'transit/rewrap/app-encryption'],
    ['POST', 'transit/sign/webhook-signing'],
    ['POST', 'transit/encrypt/app-encryption'],
    ['POST', 'transit/keys/app-encryption/rotate'],
    ['POST', 'transit/keys/app-encryption/config'],
    ['POST', 'transit/keys/app-encryption'],
    ['GET', 'transit/keys/app-encryption/config'],
    ['GET', 'transit/random/32'],
    ['GET', 'transit/cache-config'],
    ['LIST', 'transit/export/encryption-key/'],
    ['GET', 'team/transit/backup/app-encryption'],
  ] as const)('refuses %s %s', (m, p) => {
    expect(refused(m, p)).toBe(true);
  });

  it.each([
    ['LIST', 'transit/keys'],
    ['GET', 'transit/keys/app-encryption'],
    ['GET', 'team/transit/keys/release-signing'],
  ] as const)('allows the key property read %s %s', (m, p) => {
    expect(refused(m, p)).toBe(false);
  });
});

describe('transit keys from the protocol test server', () => {
  let pair: Pair;
  beforeEach(async () => {
    pair = await startPair();
  });
  afterEach(async () => pair.close());

  it('maps each transit key to a key object with its facts and versions, reading nothing but key properties', async () => {
    const { fragment, clusters } = await collectHashicorpVaultDetailed(config(pair), ctx(), { env });
    expect(fragment.scopes.find((s) => s.scope === `${EAST}#transit:transit/`)).toEqual({ provider: 'hashicorp-vault', scope: `${EAST}#transit:transit/`, status: 'complete' });
    const objects = fragment.vaults[EAST]?.objects ?? {};
    expect(objects[`${EAST}:transit:transit/app-encryption`]).toEqual({
      id: `${EAST}:transit:transit/app-encryption`,
      kind: 'key',
      name: 'app-encryption',
      path: 'transit/app-encryption',
      enabled: true,
      created: NOW - 60 * DAY,
      updated: NOW - 30 * DAY,
      expires: null,
      not_before: null,
      tags: {},
      content_type: null,
      current_version: '2',
      versions: {
        '1': { created: NOW - 60 * DAY, updated: NOW - 60 * DAY, expires: null, not_before: null, enabled: true },
        '2': { created: NOW - 30 * DAY, updated: NOW - 30 * DAY, expires: null, not_before: null, enabled: true },
      },
      key: { type: 'aes256-gcm96', size: 256, curve: null, hsm: false, exportable: false, operations: ['encrypt', 'decrypt', 'derive'], allow_plaintext_backup: false, deletion_allowed: false, min_decryption_version: 1, auto_rotate_period_seconds: 30 * DAY },
    });
    const signing = objects[`${EAST}:transit:transit/webhook-signing`];
    expect(signing).toMatchObject({ kind: 'key', path: 'transit/webhook-signing', created: NOW - 15 * DAY, updated: NOW - 15 * DAY, current_version: '1' });
    expect(signing?.key).toEqual({ type: 'ecdsa-p256', size: null, curve: 'P-256', hsm: false, exportable: true, operations: ['sign', 'verify'], allow_plaintext_backup: true, deletion_allowed: false, min_decryption_version: 1, auto_rotate_period_seconds: 0 });
    // The public key is not copied anywhere.
    expect(JSON.stringify(fragment)).not.toContain('MFkw-test-public-key');
    const transitCalls = (clusters.find((c) => c.name === 'east')?.requestLog ?? []).filter((r) => r.path.startsWith('transit/')).map((r) => `${r.method} ${r.path}`);
    expect([...new Set(transitCalls)].sort()).toEqual(['GET transit/keys/app-encryption', 'GET transit/keys/webhook-signing', 'LIST transit/keys']);
  });

  it('records the mount incomplete when its key list is forbidden (403), never an empty list', async () => {
    pair.primary.faults.push({ match: /^LIST transit\/keys/, action: { status: 403 } });
    const { fragment } = await collectHashicorpVaultDetailed(config(pair), ctx(), { env });
    expect(fragment.scopes.find((s) => s.scope === `${EAST}#transit:transit/`)).toMatchObject({ status: 'incomplete', reason: expect.stringMatching(/403/) });
    expect(Object.keys(fragment.vaults[EAST]?.objects ?? {}).filter((id) => id.includes(':transit:'))).toEqual([]);
  });

  it('records the mount incomplete when one key cannot be read, and keeps the others', async () => {
    pair.primary.faults.push({ match: /^GET transit\/keys\/webhook-signing/, action: { status: 403 } });
    const { fragment } = await collectHashicorpVaultDetailed(config(pair), ctx(), { env });
    expect(fragment.scopes.find((s) => s.scope === `${EAST}#transit:transit/`)).toMatchObject({ status: 'incomplete', reason: expect.stringMatching(/webhook-signing.*403|403.*webhook-signing/) });
    expect(Object.keys(fragment.vaults[EAST]?.objects ?? {}).filter((id) => id.includes(':transit:'))).toEqual([`${EAST}:transit:transit/app-encryption`]);
  });
});

describe('transit transform: missing data is never a default', () => {
  it('leaves key facts out (and reports the problem) when exportable is missing, and skips a key without versions', () => {
    const noExport = toTransitObject(EAST, { mount: 'transit/', name: 'k', data: { type: 'aes256-gcm96', latest_version: 1, keys: { '1': 1700000000 } } });
    expect(noExport.object?.key).toBeUndefined();
    expect(noExport.problem).toMatch(/exportable/);
    const noVersions = toTransitObject(EAST, { mount: 'transit/', name: 'k', data: { type: 'aes256-gcm96', exportable: false, latest_version: 1 } });
    expect(noVersions.object).toBeNull();
    expect(noVersions.problem).toMatch(/no readable versions/);
  });

  it('keeps created null when version 1 was trimmed, and disables versions below min_decryption_version', () => {
    const t = toTransitObject(EAST, { mount: 'transit/', name: 'k', data: { type: 'aes256-gcm96', exportable: false, latest_version: 3, min_decryption_version: 3, keys: { '2': 1700000000, '3': '2023-11-20T00:00:00.5Z' } } });
    expect(t.object).toMatchObject({ created: null, updated: Date.parse('2023-11-20T00:00:00Z') / 1000, current_version: '3' });
    expect(t.object?.versions['2']?.enabled).toBe(false);
    expect(t.object?.versions['3']?.enabled).toBe(true);
  });
});
