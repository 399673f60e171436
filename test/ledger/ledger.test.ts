import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tokenClaims, claimsIdentityId } from '../../src/collectors/azure-keyvault/jwt-claims.js';
import { auditLedger } from '../../src/ledger/read.js';
import { LEDGER_SCHEMA, type CallRecord } from '../../src/ledger/types.js';
import { splitUrl } from '../../src/collectors/shared/url.js';
import { fileSink, Ledger } from '../../src/ledger/writer.js';

const call = (over: Partial<CallRecord> = {}): CallRecord => ({
  time: '2026-11-29T00:00:00.000Z',
  provider: 'hashicorp-vault',
  service: 'vault',
  endpoint: 'http://127.0.0.1:8200',
  method: 'GET',
  path: '/v1/sys/mounts',
  status: 200,
  attempt: 1,
  duration_ms: 3,
  response_bytes: 120,
  identity: 'entity-1',
  ...over,
});

let work: string;
beforeAll(() => (work = mkdtempSync(join(tmpdir(), 'vp-ledger-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('ledger writer', () => {
  it('writes a header, numbered calls stamped with the scan ids and an end line, streaming to the file as it goes', () => {
    const file = join(work, 'snap.json.ledger.jsonl');
    const ledger = new Ledger({ scanId: 'scan-1', correlationId: 'chg-1', toolVersion: '9.9.9', sinks: [fileSink(file)], clock: () => new Date('2026-11-29T00:00:00Z') });
    ledger.record(call());
    ledger.record(call({ method: 'LIST', path: '/v1/secret/metadata/?list=true', status: 404, namespace: 'team-a' }));
    const midway = readFileSync(file, 'utf8').trim().split('\n');
    expect(midway).toHaveLength(3); // header + 2 calls, before the end
    ledger.finish(true);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toEqual({ type: 'ledger', schema: LEDGER_SCHEMA, scan_id: 'scan-1', correlation_id: 'chg-1', tool: { name: 'vaultproof', version: '9.9.9' }, started: '2026-11-29T00:00:00.000Z' });
    expect(lines[2]).toMatchObject({ type: 'call', seq: 2, scan_id: 'scan-1', correlation_id: 'chg-1', namespace: 'team-a', method: 'LIST' });
    expect(lines[3]).toEqual({ type: 'end', calls: 2, finished: '2026-11-29T00:00:00.000Z', complete: true });
    expect(ledger.text()).toBe(readFileSync(file, 'utf8'));
    expect(() => ledger.record(call())).toThrow(/after the ledger ended/);
    const audit = auditLedger(ledger.text(), 'ledger.jsonl', { scanId: 'scan-1' });
    expect(audit.problems).toEqual([]);
    expect(audit.calls).toHaveLength(2);
  });
});

describe('ledger audit', () => {
  const good = () => {
    const l = new Ledger({ scanId: 's', correlationId: 'c', toolVersion: '1' });
    l.record(call());
    l.record(call({ path: '/v1/sys/auth' }));
    l.finish(true);
    return l.text().trim().split('\n');
  };
  const problems = (lines: string[], scanId = 's') => auditLedger(lines.join('\n') + '\n', 'ledger.jsonl', { scanId }).problems;

  it('a truncated ledger (no end line) is a problem', () => expect(problems(good().slice(0, 3))).toEqual(['ledger.jsonl: no end line: the ledger is truncated']));
  it('a removed call shows as a gap in seq and a wrong count', () => {
    const lines = good();
    lines.splice(1, 1);
    expect(problems(lines)).toEqual(['ledger.jsonl: line 2: $.seq: expected 1, found 2 (a call is missing or out of order)', 'ledger.jsonl: the end line counts 2 calls, the ledger holds 1']);
  });
  it('a ledger of another scan is a problem', () => expect(problems(good(), 'other')).toEqual(['ledger.jsonl: header scan_id "s" is not the scan\'s ("other")']));
  it('a malformed line or missing field names the line', () => {
    const lines = good();
    lines[1] = '{"type":"call"';
    const bad = JSON.parse(lines[2] as string) as Record<string, unknown>;
    delete bad.identity;
    lines[2] = JSON.stringify(bad);
    expect(problems(lines)).toEqual(expect.arrayContaining(['ledger.jsonl: line 2: not a JSON object', 'ledger.jsonl: line 3: identity: expected a non-empty string']));
  });
});

describe('ledger URLs and token claims', () => {
  it('keeps api-version and list, redacts paging tokens, signatures and anything unknown', () => {
    expect(splitUrl('https://kv.vault.azure.net:443/secrets?api-version=7.5&$skiptoken=eyJabc&maxresults=25')).toEqual({ endpoint: 'https://kv.vault.azure.net', path: '/secrets?api-version=7.5&%24skiptoken=[REDACTED]&maxresults=25' });
    expect(splitUrl('https://a.blob.core.windows.net/c/b?sv=2022&sig=abc%2B&se=2026').path).toBe('/c/b?sv=[REDACTED]&sig=[REDACTED]&se=[REDACTED]');
  });

  it('reads tenant, object and application id from a JWT access token; an opaque token has no claims', () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const jwt = `${b64({ alg: 'RS256' })}.${b64({ tid: 't-1', oid: 'o-1', appid: 'a-1', idtyp: 'app', xms_secret: 'nope' })}.sig`;
    const c = tokenClaims(jwt);
    expect(c).toEqual({ tenant_id: 't-1', object_id: 'o-1', application_id: 'a-1', identity_type: 'app' });
    expect(claimsIdentityId(c!)).toBe('azure-ad:t-1/o-1');
    expect(tokenClaims('test-0123456789abcdef')).toBeUndefined();
    expect(tokenClaims('a.!!!.c')).toBeUndefined();
  });
});
