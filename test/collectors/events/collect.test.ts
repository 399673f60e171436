import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachEvents, collectEvents, parseEventsConfig, type EventsCollection } from '../../../src/collectors/events/index.js';
import { validateSnapshot } from '../../../src/snapshot/validate.js';
import { CANARY, FIXTURES, fleet, IDS, NOW } from './fleet.js';

const config = (extra: Record<string, unknown> = {}, sources?: unknown[]) =>
  parseEventsConfig(
    {
      window_days: 31,
      sources: sources ?? [
        { kind: 'vault-audit', path: 'vault-a-audit.log', vault: 'vault-a' },
        { kind: 'azure-auditevent', path: 'azure' },
        { kind: 'records', path: 'records.jsonl', covers: ['*'] },
      ],
      ...extra,
    },
    join(FIXTURES, 'vaultproof.yaml'),
  );
const ctx = () => ({ now: NOW, deadline: Date.now() + 60_000 });

let result: EventsCollection;
beforeAll(async () => {
  result = await collectEvents(config(), ctx(), fleet().vaults);
});

describe('event facts from the fixture logs and records', () => {
  it('covers the window ending at the scan time and reports every source complete', () => {
    expect(result.events.window).toEqual({ from: NOW - 31 * 86400, to: NOW });
    expect(result.scopes.map((s) => [s.status, s.scope.split(':')[0]])).toEqual([
      ['complete', 'vault-a'],
      ['complete', 'azure-auditevent'],
      ['complete', 'records'],
    ]);
    expect(result.events.sources?.map((s) => [s.kind, s.sections])).toEqual([
      ['vault-audit-log', ['audit', 'break_glass']],
      ['azure-audit-event', ['audit', 'break_glass']],
      ['other', ['rotations', 'break_glass', 'access_reviews', 'escalations', 'process', 'rotation_runs', 'audit']],
    ]);
  });

  it('counts malformed lines with file and line number, without making the source incomplete', () => {
    const [vault, azure, records] = result.report;
    expect(vault?.malformed.map((m) => [m.file.endsWith('vault-a-audit.log'), m.line])).toEqual([[true, 5], [true, 9], [true, 12], [true, 15]]);
    expect(vault?.malformed[2]?.reason).toBe('missing or invalid "request.path"');
    expect(vault?.records).toBe(31); // 32 lines, one blank
    expect(azure?.malformed.map((m) => [m.file.split('/').slice(-2).join('/'), m.line, m.reason.split(' (')[0]])).toEqual([
      ['kv-ops/PT1H.json', 4, 'missing "operationName"'],
      ['kv-ops/PT1H.json', 8, 'invalid JSON at line 1, column 51'], // position and kind only, never the line's content (issue 21)
    ]);
    expect(records?.malformed.map((m) => [m.line, m.reason])).toEqual([
      [17, '$.version: is required but missing'],
      [18, '$.time: expected an RFC 3339 date-time or epoch seconds'],
      [20, expect.stringMatching(/^\$\.type: expected one of "rotation"/)],
    ]);
    expect(records?.unresolved).toBe(1); // the record naming a vault that is not in the snapshot
    expect(result.events.sources?.map((s) => s.malformed_lines)).toEqual([4, 2, 3]);
  });

  it('counts privileged operations, correlation ids and expected operations per vault', () => {
    const audit = result.events.audit ?? {};
    // vault-a: host-token write, break-glass rotation, delete without correlation id, policy write
    // whose response is missing, and one break-glass use (two reads, one use); the login, the list,
    // the metadata read and the write outside the window are not counted.
    expect(audit[IDS.hv]).toMatchObject({ privileged_operations: 5, with_correlation_id: 4, expected_privileged_operations: 3, denied_requests: 4 });
    // kv-ops: four SecretSet plus one break-glass use; records expect 3 rotations (siem-key has none) + 1 recorded use.
    expect(audit[IDS.ops]).toMatchObject({ privileged_operations: 5, with_correlation_id: 5, expected_privileged_operations: 4, denied_requests: 2 });
    expect(audit[IDS.quiet]).toEqual({ privileged_operations: 0, with_correlation_id: 0, expected_privileged_operations: 0, denied_requests: 0, denied: {} });
  });

  it('groups denied requests by principal and object path (Vault "permission denied", Azure 403; a 401 challenge is not a denial)', () => {
    const audit = result.events.audit ?? {};
    expect(audit[IDS.ops]?.denied).toEqual({
      '33333333-0000-4000-8000-00000000000c|project/connectors/jamf/api-token': {
        principal: '33333333-0000-4000-8000-00000000000c',
        path: 'project/connectors/jamf/api-token',
        operation: 'SecretGet',
        count: 2,
        last_seen: Date.UTC(2026, 10, 27, 9, 0, 1) / 1000,
      },
    });
    const hv = audit[IDS.hv]?.denied ?? {};
    expect(Object.keys(hv).sort()).toEqual(['10.20.4.17 (unauthenticated)|sys/mounts/secret', '__proto__|__proto__/constructor', 'approle-landscape|secret/project/connectors/jamf/api-token']);
    expect(hv['approle-landscape|secret/project/connectors/jamf/api-token']).toMatchObject({ count: 2, operation: 'read' });
    // a hostile key is an own data property, never a prototype
    expect(Object.getPrototypeOf(hv)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(hv, '__proto__|__proto__/constructor')).toBe(true);
  });

  it('keys rotation records by object id and version, resolving URIs, object ids and Vault paths', () => {
    const r = result.events.rotations ?? {};
    expect(Object.keys(r).sort()).toEqual([IDS.breakGlassRoot, IDS.hostToken, IDS.apiToken, IDS.dbPassword, IDS.emergency].sort());
    expect(r[IDS.apiToken]).toEqual({ at2: { version: 'at2', time: Date.UTC(2026, 10, 19, 0, 0, 40) / 1000, correlation_id: 'chg-2', actor: 'rotation-job', record_id: 'rot-1' } });
    expect(r[IDS.dbPassword]?.a2?.correlation_id).toBeNull();
    expect(r[IDS.hostToken]?.['2']?.correlation_id).toBe('chg-1');
    expect(r[IDS.breakGlassRoot]?.['2']?.time).toBe(1795568440); // epoch seconds accepted
  });

  it('joins break-glass reads in the audit logs with approvals, use records and the rotation that followed', () => {
    const bg = result.events.break_glass ?? {};
    expect(bg[IDS.emergency]).toEqual({
      'BG-1': {
        id: 'BG-1',
        used_at: Date.UTC(2026, 10, 24) / 1000,
        actor: 'a.berg@contoso.example',
        correlation_id: 'inc-5',
        approvals: [
          { approver: 'm.keller@contoso.example', approved_at: Date.UTC(2026, 10, 23, 23) / 1000 },
          { approver: 's.ortiz@contoso.example', approved_at: Date.UTC(2026, 10, 23, 23, 30) / 1000 },
        ],
        rotated_at: Date.UTC(2026, 10, 24, 2) / 1000, // the SecretSet in the audit log, before the record 30 s later
      },
    });
    // No use record: the first read in the Vault audit log is the use, the approvals join by correlation id.
    expect(bg[IDS.breakGlassRoot]?.['BG-2']).toEqual({
      id: 'BG-2',
      used_at: Date.UTC(2026, 10, 25) / 1000,
      actor: 'oidc-j.doe',
      correlation_id: 'inc-7',
      approvals: [
        { approver: 'm.keller@contoso.example', approved_at: Date.UTC(2026, 10, 24, 23, 30) / 1000 },
        { approver: 's.ortiz@contoso.example', approved_at: Date.UTC(2026, 10, 25, 0, 10) / 1000 },
      ],
      rotated_at: Date.UTC(2026, 10, 25, 1) / 1000,
    });
  });

  it('keeps the latest escalation per object and the latest access review', () => {
    expect(result.events.escalations).toEqual({ [IDS.dbPassword]: { ticket: 'CAB-2026-1142', raised_at: Date.UTC(2026, 10, 25, 8) / 1000, reason: 'rotation job failed' } });
    expect(result.events.access_reviews?.['*']).toMatchObject({ review_id: 'AR-2026-11', reviewers: ['ciso@contoso.example', 'platform-lead@contoso.example'] });
  });

  it('carries no value: neither the planted canary nor any HMAC string reaches the facts', () => {
    const text = JSON.stringify(result);
    expect(text).not.toContain(CANARY);
    expect(text).not.toContain('hmac-sha256');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('attaches to a snapshot that validates against the snapshot schema', () => {
    const snap = attachEvents(fleet(), result.events, result.scopes);
    expect(() => validateSnapshot(JSON.parse(JSON.stringify(snap)), 'snapshot.json')).not.toThrow();
    expect(snap.scopes.filter((s) => s.provider === 'events')).toHaveLength(3);
    const again = attachEvents(snap, result.events, result.scopes.slice(0, 1));
    expect(again.scopes.filter((s) => s.provider === 'events')).toHaveLength(1);
  });

  it('is deterministic', async () => {
    const second = await collectEvents(config(), ctx(), fleet().vaults);
    expect(JSON.stringify(second.events)).toBe(JSON.stringify(result.events));
  });
});

describe('sources that cannot be read make the scan incomplete', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vp-events-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a missing file: the source and its scope are incomplete with the reason, the other sources still count', async () => {
    const cfg = config({}, [
      { kind: 'vault-audit', path: join(dir, 'missing.log'), vault: 'vault-a' },
      { kind: 'records', path: 'records.jsonl', sections: ['rotations'] },
    ]);
    const r = await collectEvents(cfg, ctx(), fleet().vaults);
    expect(r.scopes[0]).toEqual({ provider: 'events', scope: `vault-a:${join(dir, 'missing.log')}`, status: 'incomplete', reason: `${join(dir, 'missing.log')}: not found` });
    expect(r.events.sources?.[0]).toMatchObject({ status: 'incomplete', sections: ['audit', 'break_glass'] });
    expect(r.scopes[1]?.status).toBe('complete');
    expect(r.events.sources?.[1]?.kind).toBe('rotation-records');
    expect(Object.keys(r.events.rotations ?? {})).toHaveLength(5);
    // the audit entry of the vault is still there (empty), but its section is marked unusable by the source status
    expect(r.events.audit?.[IDS.hv]?.privileged_operations).toBe(0);
    expect(r.events.escalations).toBeUndefined(); // no source is its evidence
  });

  it('a file that fails while being read, and a path through a file', async () => {
    // /proc/self/mem is a regular file whose read fails with EIO, even for root
    const f = join(dir, 'plain.jsonl');
    writeFileSync(f, '{}\n');
    const r = await collectEvents(config({}, [{ kind: 'records', path: '/proc/self/mem' }, { kind: 'records', path: join(f, 'below.jsonl') }]), ctx(), fleet().vaults);
    expect(r.scopes.map((s) => [s.status, s.reason])).toEqual([
      ['incomplete', '/proc/self/mem: cannot be read (EIO)'],
      ['incomplete', `${join(f, 'below.jsonl')}: cannot be read (ENOTDIR)`],
    ]);
    if (process.getuid?.() !== 0) {
      chmodSync(f, 0o000);
      const locked = await collectEvents(config({}, [{ kind: 'records', path: f }]), ctx(), fleet().vaults);
      expect(locked.scopes[0]).toMatchObject({ status: 'incomplete', reason: `${f}: permission denied` });
    }
  });

  it('a glob that matches nothing, a vault the snapshot does not hold, the deadline', async () => {
    const r = await collectEvents(
      config({}, [
        { kind: 'azure-auditevent', path: join(dir, '**', '*.json') },
        { kind: 'vault-audit', path: 'vault-a-audit.log', vault: 'vault-zz' },
      ]),
      ctx(),
      fleet().vaults,
    );
    expect(r.scopes.map((s) => s.reason)).toEqual([`${join(dir, '**', '*.json')}: no file matches`, 'vault "vault-zz" is not in the snapshot (its collection failed, or the name is wrong)']);
    const late = await collectEvents(config(), { now: NOW, deadline: Date.now() - 1 }, fleet().vaults);
    expect(late.scopes.every((s) => s.status === 'incomplete' && /deadline/.test(s.reason ?? ''))).toBe(true);
  });

  it('whole-file JSON exports ({"records": [...]} pretty-printed) and YAML records are read too', async () => {
    const { readFileSync } = await import('node:fs');
    const records = readFileSync(join(FIXTURES, 'azure', 'kv-ops', 'PT1H.json'), 'utf8').split('\n').filter((l) => l.startsWith('{"time"') && l.endsWith('}')).map((l) => JSON.parse(l) as unknown);
    const f = join(dir, 'export.json');
    writeFileSync(f, JSON.stringify({ records }, null, 2));
    const r = await collectEvents(
      config({}, [
        { kind: 'azure-auditevent', path: f, format: 'json' },
        { kind: 'records', path: 'records.yaml', format: 'yaml' },
      ]),
      ctx(),
      fleet().vaults,
    );
    expect(r.scopes.map((s) => s.status)).toEqual(['complete', 'complete']);
    expect(r.events.audit?.[IDS.ops]).toMatchObject({ privileged_operations: 5, denied_requests: 2 });
    expect(r.report[0]?.malformed).toEqual([{ file: f, line: 1, reason: '$.records[3]: missing "operationName"' }]);
    expect(r.report[1]?.malformed.map((m) => [m.line, m.reason])).toEqual([
      [7, '$[1].time: expected an RFC 3339 date-time or epoch seconds'],
      [11, '$[2].__proto__: is not an allowed property'],
    ]);
    expect(Object.keys(r.events.rotations ?? {})).toEqual([IDS.apiToken]);
  });

  it('too many malformed lines when a limit is configured', async () => {
    const r = await collectEvents(config({ max_malformed_lines: 3 }), ctx(), fleet().vaults);
    expect(r.scopes.map((s) => s.status)).toEqual(['incomplete', 'complete', 'complete']);
    expect(r.scopes[0]?.reason).toBe('4 malformed line(s), more than max_malformed_lines (3)');
  });
});
