import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAzureAuditLine, parseObjectUri } from '../../../src/collectors/events/azure-auditevent.js';
import { parseEventsConfig, resolveWindow } from '../../../src/collectors/events/config.js';
import { readYamlDocument } from '../../../src/collectors/events/documents.js';
import { readLines } from '../../../src/collectors/events/lines.js';
import { parseRecordLine, toRecord } from '../../../src/collectors/events/records.js';
import { parseTimestamp } from '../../../src/collectors/events/time.js';
import { parseVaultAuditLine } from '../../../src/collectors/events/vault-audit.js';
import { InputError } from '../../../src/util/input-error.js';
import { FIXTURES } from './fleet.js';

describe('timestamps', () => {
  it('reads RFC 3339 with any fraction and offsets, and epoch seconds', () => {
    expect(parseTimestamp('2026-11-21T00:00:01.123456789Z')).toBe(Date.UTC(2026, 10, 21, 0, 0, 1) / 1000);
    expect(parseTimestamp('2026-11-21T01:00:00+01:00')).toBe(Date.UTC(2026, 10, 21) / 1000);
    expect(parseTimestamp('2026-11-20T19:30:00-0430')).toBe(Date.UTC(2026, 10, 21) / 1000);
    expect(parseTimestamp(1795219240)).toBe(1795219240);
    for (const bad of ['2026-02-30T00:00:00Z', '2026-11-21', 'yesterday', '2026-11-21T00:00:00', 1.5, -1, null, {}]) expect(parseTimestamp(bad)).toBeNull();
  });
});

describe('Vault audit lines', () => {
  const line = (o: unknown) => JSON.stringify(o);
  const base = {
    time: '2026-11-21T00:00:01.5Z',
    type: 'response',
    auth: { client_token: 'hmac-sha256:aa', accessor: 'hmac-sha256:bb', display_name: 'approle-rotation-job', entity_id: 'e-1', policies: ['rotation'] },
    request: { id: 'r-1', operation: 'update', path: 'secret/data/app/db', mount_point: 'secret/', mount_type: 'kv', namespace: { id: 'root' }, headers: { 'x-correlation-id': ['chg-1'] }, data: { password: 'hmac-sha256:cc' }, remote_address: '10.0.0.1' },
    response: { data: { password: 'hmac-sha256:dd' } },
  };

  it('keeps only clear-text metadata: time, path, operation, principal, correlation id, error', () => {
    expect(parseVaultAuditLine(line(base))).toEqual({
      kind: 'event',
      value: { type: 'response', requestId: 'r-1', time: Date.UTC(2026, 10, 21, 0, 0, 1) / 1000, operation: 'update', path: 'secret/data/app/db', namespace: '', mountPoint: 'secret/', mountType: 'kv', principal: 'approle-rotation-job', entityId: 'e-1', authType: 'approle', authRole: null, correlationId: 'chg-1', error: null },
    });
  });

  it('reads a configured correlation header, namespaces, and names unauthenticated callers by address', () => {
    const r = parseVaultAuditLine(line({ ...base, auth: {}, request: { ...base.request, namespace: { id: 'x', path: 'team-a/' }, headers: { 'x-request-id': 'abc' } }, error: 'permission denied' }), 'x-request-id');
    expect(r).toMatchObject({ kind: 'event', value: { namespace: 'team-a', principal: '10.0.0.1 (unauthenticated)', correlationId: 'abc', error: 'permission denied' } });
  });

  // Issue 15: a real AppRole token's display_name is the method ("approle") for every role; the
  // requestor is the role (auth.metadata.role_name) and its entity, never the method.
  it('names the requestor of an AppRole request by its role, not the auth method (issue 15)', () => {
    const real = readFileSync(new URL('../../fixtures/events/vault-a-audit.log', import.meta.url), 'utf8').split('\n')[1] as string;
    const approle = (role: string, entity: string) =>
      JSON.parse(real.replace('"display_name":"approle-rotation-job"', '"display_name":"approle"').replace('"role_name":"approle-rotation-job"', `"role_name":"${role}"`).replaceAll('"entity_id":"ent-0000"', `"entity_id":"${entity}"`)) as unknown;
    const a = parseVaultAuditLine(line(approle('ci-packaging', 'ent-a')));
    const b = parseVaultAuditLine(line(approle('connector-jamf', 'ent-b')));
    expect(a).toMatchObject({ kind: 'event', value: { principal: 'approle:ci-packaging', entityId: 'ent-a' } });
    expect(b).toMatchObject({ kind: 'event', value: { principal: 'approle:connector-jamf', entityId: 'ent-b' } });
    // Without role metadata the entity tells requestors apart; a display name naming someone is kept.
    const noMeta = { ...base, auth: { display_name: 'approle', entity_id: 'ent-c', metadata: null } };
    expect(parseVaultAuditLine(line(noMeta))).toMatchObject({ kind: 'event', value: { principal: 'approle (entity ent-c)', entityId: 'ent-c' } });
    const userpass = { ...base, auth: { display_name: 'userpass-alice', entity_id: 'ent-d', metadata: { username: 'alice' } } };
    expect(parseVaultAuditLine(line(userpass))).toMatchObject({ kind: 'event', value: { principal: 'userpass-alice' } });
  });

  it('reports malformed lines with a reason and skips other entry types and blank lines', () => {
    expect(parseVaultAuditLine('')).toEqual({ kind: 'skip' });
    expect(parseVaultAuditLine(line({ ...base, type: 'other' }))).toEqual({ kind: 'skip' });
    expect(parseVaultAuditLine('[1,2]')).toEqual({ kind: 'malformed', reason: 'expected a JSON object' });
    expect(parseVaultAuditLine(line({ ...base, type: undefined }))).toEqual({ kind: 'malformed', reason: 'missing "type"' });
    expect(parseVaultAuditLine(line({ ...base, request: 'x' }))).toEqual({ kind: 'malformed', reason: 'missing "request" object' });
    expect(parseVaultAuditLine(line({ ...base, request: { ...base.request, operation: 7 } }))).toEqual({ kind: 'malformed', reason: 'missing or invalid "request.operation"' });
    expect(parseVaultAuditLine('{"time":')).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/^invalid JSON/) });
  });
});

describe('Azure AuditEvent lines', () => {
  const rec = { time: '2026-11-27T09:00:00Z', category: 'AuditEvent', operationName: 'SecretGet', resultType: 'Success', resultSignature: 'Forbidden', correlationId: '', callerIpAddress: '10.0.0.9', identity: { claim: { oid: 'ABC' } }, properties: { id: 'https://kv-a.vault.azure.net/secrets/x', httpStatusCode: 403 }, resourceId: '/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-A' };

  it('reads the resource-log schema: 403 is a denial, the oid names the caller, an empty correlation id is none', () => {
    expect(parseAzureAuditLine(JSON.stringify(rec))).toEqual([
      { kind: 'event', value: { time: Date.UTC(2026, 10, 27, 9) / 1000, operation: 'SecretGet', success: false, denied: true, correlationId: null, principal: 'abc', oid: 'abc', resourceId: rec.resourceId.toLowerCase(), uri: 'https://kv-a.vault.azure.net/secrets/x' } },
    ]);
  });

  it('expands a records envelope, reads Log Analytics columns, skips other categories', () => {
    const la = { TimeGenerated: '2026-11-27T09:00:00Z', OperationName: 'SecretSet', ResultType: 'Success', CorrelationId: 'c-1', Identity: { claim: { upn: 'u@x' } }, Id: 'https://kv-a.vault.azure.net/secrets/x/v2', HttpStatusCode: 200, _ResourceId: '/x' };
    const out = parseAzureAuditLine(JSON.stringify({ records: [la, { ...rec, category: 'AzurePolicyEvaluationDetails' }, 5] }));
    expect(out[0]).toMatchObject({ kind: 'event', value: { operation: 'SecretSet', success: true, denied: false, correlationId: 'c-1', principal: 'u@x', resourceId: '/x' } });
    expect(out.slice(1)).toEqual([{ kind: 'skip' }, { kind: 'malformed', reason: 'expected a JSON object' }]);
    expect(parseAzureAuditLine(JSON.stringify({ ...rec, operationName: undefined }))).toEqual([{ kind: 'malformed', reason: 'missing "operationName"' }]);
  });

  it('parses object URIs', () => {
    expect(parseObjectUri('https://KV-A.vault.azure.net/secrets/Api-Token/abc123?api-version=7.4')).toEqual({ host: 'kv-a.vault.azure.net', collection: 'secrets/api-token', kind: 'secret', name: 'api-token', version: 'abc123' });
    expect(parseObjectUri('https://kv-a.vault.azure.net/secrets?api-version=7.4')).toMatchObject({ collection: 'secrets', kind: 'secret', name: null });
    expect(parseObjectUri('not a uri')).toBeNull();
  });
});

describe('platform records', () => {
  it('validate against the record schema with JSON paths', () => {
    expect(parseRecordLine('{"type":"break-glass-approval","use_id":"u","object":"o","approver":"a","time":"2026-11-01T00:00:00Z","extra":1}')).toEqual({ kind: 'malformed', reason: '$.extra: is not an allowed property' });
    expect(parseRecordLine('{"type":"access-review","review_id":"r","vault":"*","time":5,"reviewers":[1]}')).toEqual({ kind: 'malformed', reason: '$.reviewers[0]: expected string' });
    expect(toRecord({ type: 'cab-escalation', object: 'o', ticket: 't', time: '2026-11-01T00:00:00+02:00' }, '$.records[3]')).toEqual({ kind: 'event', value: { type: 'cab-escalation', object: 'o', ticket: 't', time: Date.UTC(2026, 9, 31, 22) / 1000 } });
    expect(toRecord({ type: 'rotation', object: 'o', version: '1' }, '$.records[3]')).toEqual({ kind: 'malformed', reason: '$.records[3].time: is required but missing' });
  });

  it('YAML lists give each item its line number; hostile keys do not validate', async () => {
    const items = await readYamlDocument(join(FIXTURES, 'records.yaml'));
    expect(items.map((i) => [i.line, i.path])).toEqual([[2, '$[0]'], [7, '$[1]'], [11, '$[2]']]);
    expect(toRecord(items[0]?.value, items[0]?.path).kind).toBe('event');
    expect(toRecord(items[1]?.value, items[1]?.path)).toEqual({ kind: 'malformed', reason: '$[1].time: expected an RFC 3339 date-time or epoch seconds' });
    expect(toRecord(items[2]?.value, items[2]?.path)).toEqual({ kind: 'malformed', reason: '$[2].__proto__: is not an allowed property' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('line reader', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vp-lines-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('splits LF and CRLF lines, strips a BOM, keeps a last line without newline, and skips oversized lines without buffering them', async () => {
    const f = join(dir, 'a.log');
    writeFileSync(f, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`first\r\n${'x'.repeat(5000)}\nthird\n\nlast`)]));
    const lines: Array<[number, string]> = [];
    const oversized: Array<[number, number]> = [];
    const res = await readLines(f, { maxLineBytes: 1024 }, { line: (t, n) => lines.push([n, t]), oversized: (n, b) => oversized.push([n, b]) });
    expect(lines).toEqual([[1, 'first'], [3, 'third'], [4, ''], [5, 'last']]);
    expect(oversized).toEqual([[2, 5000]]);
    expect(res.lines).toBe(5);
  });

  it('handles a line spanning many chunks and an oversized last line', async () => {
    const f = join(dir, 'b.log');
    const long = 'y'.repeat(3 * 1024 * 1024);
    writeFileSync(f, `${long}\n${long}`);
    const lines: number[] = [];
    const oversized: Array<[number, number]> = [];
    await readLines(f, { maxLineBytes: 4 * 1024 * 1024 }, { line: (t) => lines.push(t.length), oversized: () => undefined });
    await readLines(f, { maxLineBytes: 1024 * 1024 }, { line: () => undefined, oversized: (n, b) => oversized.push([n, b]) });
    expect(lines).toEqual([long.length, long.length]);
    expect(oversized).toEqual([[1, long.length], [2, long.length]]);
  });
});

describe('events config', () => {
  const file = '/etc/vaultproof/vaultproof.yaml';
  const bad = (value: unknown) => {
    try {
      parseEventsConfig(value, file);
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as Error).message;
    }
    throw new Error('expected an error');
  };

  it('names the file, the JSON path and what was expected', () => {
    expect(bad({ sources: [{ kind: 'splunk', path: 'x' }] })).toBe(`${file}: $.events.sources[0].kind: expected one of "vault-audit", "azure-auditevent", "records"`);
    expect(bad({ sources: [{ kind: 'records', path: 'x', bogus: 1 }] })).toBe(`${file}: $.events.sources[0].bogus: is not an allowed property`);
    expect(bad({ sources: [] })).toBe(`${file}: $.events.sources: expected a value that must NOT have fewer than 1 items`);
    expect(bad({ window_days: 3, from: '2026-01-01T00:00:00Z', sources: [{ kind: 'records', path: 'x' }] })).toBe(`${file}: $.events.from: give either window_days or from, not both`);
    expect(bad({ to: 'tomorrow', sources: [{ kind: 'records', path: 'x' }] })).toBe(`${file}: $.events.to: expected an RFC 3339 date-time or epoch seconds`);
    expect(bad({ sources: [{ kind: 'vault-audit', path: 'x', vault: 'v', covers: ['*'] }] })).toBe(`${file}: $.events.sources[0].covers: is only allowed on a records source`);
    expect(bad({ sources: [{ kind: 'records', path: 'x', id: 'a' }, { kind: 'records', path: 'y', id: 'a' }] })).toBe(`${file}: $.events.sources[1].id: duplicate source id "a"`);
    expect(bad(undefined)).toBe(`${file}: $.events: expected object`);
    expect(bad({ sources: [{ kind: 'vault-audit', path: 'x', vault: 'v', format: 'json' }] })).toBe(`${file}: $.events.sources[0].format: a Vault audit log is JSON lines (the file audit device format)`);
  });

  it('resolves relative paths against the config file and defaults the window from the thresholds', () => {
    const cfg = parseEventsConfig({ sources: [{ kind: 'vault-audit', path: 'logs/audit.log', vault: 'east' }] }, file);
    expect(cfg.sources[0]).toEqual({ kind: 'vault-audit', path: '/etc/vaultproof/logs/audit.log', vault: 'east', format: 'json-lines', id: 'east:/etc/vaultproof/logs/audit.log' });
    expect(resolveWindow(cfg, 1000 * 86400)).toEqual({ from: 969 * 86400, to: 1000 * 86400 });
    expect(cfg.break_glass_paths).toContain('**/EmergencyAccess*');
    const fixed = parseEventsConfig({ from: '2026-11-01T00:00:00Z', to: 1795910400, sources: [{ kind: 'records', path: '/r.jsonl' }] }, file);
    expect(resolveWindow(fixed, 0)).toEqual({ from: Date.UTC(2026, 10, 1) / 1000, to: 1795910400 });
  });
});

describe('examples/events.yaml', () => {
  it('is a valid events block', async () => {
    const { parse } = await import('yaml');
    const { readFileSync } = await import('node:fs');
    const { PACKAGE_ROOT } = await import('../../../src/version.js');
    const file = join(PACKAGE_ROOT, 'examples', 'events.yaml');
    const cfg = parseEventsConfig((parse(readFileSync(file, 'utf8')) as { events: unknown }).events, file);
    expect(cfg.sources.map((s) => s.kind)).toEqual(['vault-audit', 'azure-auditevent', 'records', 'records', 'records']);
    expect(cfg.sources[3]).toMatchObject({ format: 'yaml', sections: ['access_reviews'] });
    expect(cfg.sources[4]).toMatchObject({ format: 'yaml', sections: ['process', 'rotation_runs', 'rotations', 'break_glass'], path: join(PACKAGE_ROOT, 'examples', 'events', 'process-records.yaml') });
  });
});

describe('event lines are parsed strictly and never quoted (issue 21)', () => {
  it('a record line naming a field twice is malformed, not last-wins', () => {
    expect(parseVaultAuditLine('{"type":"response","type":"request","time":"2026-11-21T00:00:00Z"}')).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/^invalid JSON at line 1, column \d+ \(\$\.type\): duplicate member name/) });
  });

  it('the reason for a line that is not JSON does not quote it', () => {
    const r = parseVaultAuditLine('Sup3rS3cret!');
    expect(r).toMatchObject({ kind: 'malformed' });
    expect((r as { reason: string }).reason).not.toContain('Sup3r');
  });
});
