import { defaultLogFormat, Logger } from '../../src/log/logger.js';
import { Redactor } from '../../src/log/redact.js';

function capture(format: 'json' | 'text', level: 'debug' | 'info' = 'info') {
  const lines: string[] = [];
  const log = Logger.create({ format, level, write: (l) => lines.push(l), clock: () => new Date('2026-11-29T00:00:00Z') });
  return { log, lines };
}

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJ0aWQiOiJ0Iiwib2lkIjoibyJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const VAULT_TOKEN = 'hvs.CAESIJ1y7Z3k9Xw4pQm2vR8sT6uY0aBcDeFgHiJkLmNoPqRs';
const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';

describe('logger', () => {
  it('writes JSON lines with time, level, event, message, scan id and correlation id', () => {
    const { log, lines } = capture('json');
    log.info('a.start', 'before the scan id is known');
    log.setContext({ scan_id: 'scan-1', correlation_id: 'chg-42' });
    log.child({ provider: 'hashicorp-vault' }).warn('b.step', 'after', { calls: 3 });
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed[0]).toMatchObject({ level: 'info', event: 'a.start', scan_id: null, correlation_id: null, time: '2026-11-29T00:00:00.000Z' });
    expect(parsed[1]).toEqual({ time: '2026-11-29T00:00:00.000Z', level: 'warn', event: 'b.step', msg: 'after', scan_id: 'scan-1', correlation_id: 'chg-42', tool: 'vaultproof', provider: 'hashicorp-vault', calls: 3 });
  });

  it('fields cannot overwrite the scan id, correlation id or level', () => {
    const { log, lines } = capture('json');
    log.setContext({ scan_id: 's', correlation_id: 'c' });
    log.info('e', 'm', { scan_id: 'forged', correlation_id: 'forged', level: 'debug' });
    expect(JSON.parse(lines[0] as string)).toMatchObject({ scan_id: 's', correlation_id: 'c', level: 'info' });
  });

  it('levels: debug lines only with --verbose (level debug)', () => {
    const quiet = capture('json');
    quiet.log.debug('d', 'hidden');
    expect(quiet.lines).toEqual([]);
    const loud = capture('text', 'debug');
    loud.log.debug('d', 'shown', { n: 1 });
    expect(loud.lines).toEqual(['debug: shown n=1']);
  });

  it('text lines read as before: errors prefixed, info verbatim, stack on the following lines', () => {
    const { log, lines } = capture('text');
    log.info('x', 'collected 2 vault(s)', { vaults: 2 });
    log.error('y', 'bad.yaml: $.azure: expected an object', { stack: 'Error: boom\n    at x' });
    log.warn('z', 'careful');
    expect(lines).toEqual(['collected 2 vault(s)', 'vaultproof: error: bad.yaml: $.azure: expected an object\nError: boom\n    at x', 'vaultproof: warning: careful']);
  });

  it('redacts authorization headers, tokens, client secrets, certificate material and signed-URL parameters, whatever the caller passes', () => {
    const { log, lines } = capture('json');
    log.addSecret('my-approle-secret-id-value');
    log.info('req', `sent Bearer ${JWT} to https://acct.blob.core.windows.net/c/b?sv=2022-11-02&se=2026-12-01&sig=AbCdEf%2Bsecret&sp=r and ${VAULT_TOKEN}`, {
      headers: { Authorization: `Bearer ${JWT}`, 'X-Vault-Token': VAULT_TOKEN, accept: 'application/json' },
      body: { client_secret: 'cs-123456789', secret_id: 'my-approle-secret-id-value', role_id: 'role-1' },
      certificate_pem: PEM,
      note: `form client_secret=abcdef123456&grant_type=client_credentials; pem ${PEM}`,
      nested: [{ password: 'p4ssw0rd!' }, { token: 't0k3n-value' }],
      echoed: 'the secret id my-approle-secret-id-value leaked into a message',
      err: Object.assign(new Error(`login failed for ${VAULT_TOKEN}`), { code: 'E403' }),
      json: '{"password":"hunter22","user":"x"}',
    });
    const text = lines.join('\n');
    for (const leak of [JWT, VAULT_TOKEN, 'AbCdEf', 'cs-123456789', 'my-approle-secret-id-value', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', 'abcdef123456', 'p4ssw0rd!', 't0k3n-value', 'hunter22']) {
      expect({ leak, found: text.includes(leak) }).toEqual({ leak, found: false });
    }
    const line = JSON.parse(lines[0] as string) as { headers: unknown; body: { role_id: string }; msg: string; err: unknown };
    expect(line.headers).toEqual({ Authorization: '[REDACTED]', 'X-Vault-Token': '[REDACTED]', accept: 'application/json' });
    expect(line.body.role_id).toBe('role-1');
    expect(line.msg).toContain('sv=2022-11-02');
    expect(line.msg).toContain('sig=[REDACTED]');
    expect(line.err).toEqual({ name: 'Error', code: 'E403', message: 'login failed for [REDACTED:vault-token]' });
  });

  it('keeps ordinary identifiers readable', () => {
    const r = new Redactor();
    const s = 'GET /subscriptions/11111111-2222-3333-4444-555555555555/providers/Microsoft.KeyVault/vaults?api-version=2023-07-01 vault kv-ops-weu secret/metadata/app';
    expect(r.text(s)).toBe(s);
    expect(r.value({ id: 'x', name: 'db-password', policies: ['vaultproof-scanner'] })).toEqual({ id: 'x', name: 'db-password', policies: ['vaultproof-scanner'] });
  });
});

describe('default log format', () => {
  it('is json when CI is set, text otherwise; --log-format wins', () => {
    expect(defaultLogFormat(undefined, { CI: 'true' })).toBe('json');
    expect(defaultLogFormat(undefined, { CI: '1' })).toBe('json');
    expect(defaultLogFormat(undefined, { CI: 'false' })).toBe('text');
    expect(defaultLogFormat(undefined, {})).toBe('text');
    expect(defaultLogFormat('text', { CI: 'true' })).toBe('text');
    expect(defaultLogFormat('json', {})).toBe('json');
  });
});
