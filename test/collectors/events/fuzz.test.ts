/**
 * Property-based tests: the parsers and the whole collector survive arbitrary and hostile input —
 * no exception, no hang (jest's timeout), no prototype pollution, facts that still validate.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseAzureAuditLine } from '../../../src/collectors/events/azure-auditevent.js';
import { attachEvents, collectEvents, parseEventsConfig } from '../../../src/collectors/events/index.js';
import { readLines } from '../../../src/collectors/events/lines.js';
import { parseRecordLine } from '../../../src/collectors/events/records.js';
import { parseVaultAuditLine } from '../../../src/collectors/events/vault-audit.js';
import { validateSnapshot } from '../../../src/snapshot/validate.js';
import { fleet, NOW } from './fleet.js';

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__'];
const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort();
const before = prototypeKeys();
const clean = () => {
  expect(prototypeKeys()).toEqual(before);
  const probe = {} as Record<string, unknown>;
  for (const k of ['polluted', 'isAdmin', 'x']) expect(probe[k]).toBeUndefined();
};

const hostileKey = fc.constantFrom(...HOSTILE_KEYS);
const key = fc.oneof(hostileKey, fc.constantFrom('time', 'type', 'request', 'auth', 'path', 'operation', 'id', 'records', 'headers', 'error', 'claim', 'properties', 'object', 'vault', 'version'), fc.string({ maxLength: 8 }));
const leaf = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('2026-11-21T00:00:00Z', 'request', 'response', 'update', 'read', 'permission denied', 'AuditEvent', 'SecretGet', 'rotation'));
const { value: hostileValue } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('value'), { maxLength: 4 }), tie('object')),
  object: fc.array(fc.tuple(key, tie('value')), { maxLength: 6 }),
}));
/** JSON text of an object built from key/value pairs, so `__proto__` lands as a literal key. */
function toJson(v: unknown): string {
  if (Array.isArray(v) && v.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string')) {
    return `{${(v as Array<[string, unknown]>).map(([k, x]) => `${JSON.stringify(k)}:${toJson(x)}`).join(',')}}`;
  }
  if (Array.isArray(v)) return `[${v.map(toJson).join(',')}]`;
  return JSON.stringify(v) ?? 'null';
}

const vaultLike = fc.record({
  time: fc.oneof(fc.constant('2026-11-21T00:00:00.123456789Z'), fc.string({ maxLength: 30 })),
  type: fc.constantFrom('request', 'response', 'x'),
  auth: fc.dictionary(fc.oneof(hostileKey, fc.constantFrom('display_name', 'entity_id')), fc.string({ maxLength: 20 })),
  request: fc.record({
    id: fc.oneof(hostileKey, fc.string({ maxLength: 10 })),
    operation: fc.constantFrom('read', 'update', 'create', 'delete', 'list', 'patch'),
    path: fc.oneof(fc.constantFrom('secret/data/project/cab/break-glass-root', 'secret/metadata/a', 'sys/mounts/x', 'auth/approle/login', '__proto__/x'), fc.string({ maxLength: 40 })),
    mount_point: fc.constantFrom('secret/', 'legacy/', '', '__proto__/'),
    mount_type: fc.constantFrom('kv', 'transit', 'system', '__proto__'),
    namespace: fc.record({ path: fc.oneof(fc.constant(''), fc.string({ maxLength: 10 })) }),
    headers: fc.dictionary(fc.oneof(hostileKey, fc.constant('x-correlation-id')), fc.array(fc.string({ maxLength: 10 }), { maxLength: 2 })),
  }),
  error: fc.option(fc.constantFrom('permission denied', 'x'), { nil: undefined }),
});

/** Records that mostly validate, naming hostile objects, vaults, versions and use ids. */
const hostileOrReal = (...real: string[]) => fc.oneof(hostileKey, fc.constantFrom(...real), fc.string({ maxLength: 12 }));
const recordLike = fc
  .record(
    {
      type: fc.constantFrom('rotation', 'break-glass-approval', 'break-glass-use', 'cab-escalation', 'access-review', 'privileged-operation'),
      object: hostileOrReal('https://kv-ops.vault.azure.net/secrets/emergencyaccess', 'secret/project/cab/break-glass-root', 'project/cab/EmergencyAccess'),
      vault: hostileOrReal('vault-a', 'kv-ops', '*', 'hashicorp-vault:vault-a'),
      version: hostileOrReal('1', '2', 'ea2'),
      use_id: hostileOrReal('BG-1'),
      approver: hostileOrReal('m.keller'),
      ticket: hostileOrReal('CAB-1'),
      review_id: hostileOrReal('AR-1'),
      operation: hostileOrReal('policy-update'),
      reviewers: fc.array(hostileOrReal('ciso'), { maxLength: 2 }),
      actor: fc.option(hostileOrReal('a.berg'), { nil: null }),
      correlation_id: fc.option(hostileOrReal('inc-5'), { nil: null }),
      time: fc.oneof(fc.constantFrom('2026-11-24T00:00:00Z', '2026-11-25T00:10:00Z'), fc.integer({ min: 1793232000, max: 1795910400 })),
    },
    { requiredKeys: ['type', 'time'] },
  )
  .map((r) => {
    // keep only the fields the record's type allows, so most records validate
    const allowed: Record<string, string[]> = {
      rotation: ['object', 'vault', 'version', 'correlation_id', 'actor'],
      'break-glass-approval': ['use_id', 'object', 'vault', 'approver', 'correlation_id'],
      'break-glass-use': ['use_id', 'object', 'vault', 'actor', 'correlation_id'],
      'cab-escalation': ['object', 'vault', 'ticket'],
      'access-review': ['review_id', 'vault', 'reviewers'],
      'privileged-operation': ['vault', 'object', 'operation', 'correlation_id', 'actor'],
    };
    return JSON.stringify(Object.fromEntries(Object.entries(r).filter(([k]) => k === 'type' || k === 'time' || (allowed[r.type] ?? []).includes(k))));
  });

describe('line parsers never throw on arbitrary input', () => {
  afterEach(clean);

  it('arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (s) => {
        for (const r of [parseVaultAuditLine(s), parseRecordLine(s), ...parseAzureAuditLine(s)]) expect(['event', 'skip', 'malformed']).toContain(r.kind);
      }),
      { numRuns: 500 },
    );
  });

  it('arbitrary JSON with hostile keys', () => {
    fc.assert(
      fc.property(hostileValue, (v) => {
        const text = toJson(v);
        parseVaultAuditLine(text);
        parseRecordLine(text);
        parseAzureAuditLine(text);
        parseAzureAuditLine(`{"records":[${text},${text}]}`);
      }),
      { numRuns: 500 },
    );
  });

  it('Vault-shaped entries with hostile keys and values', () => {
    fc.assert(
      fc.property(vaultLike, fc.constantFrom(...HOSTILE_KEYS), (o, k) => {
        const text = JSON.stringify(o).replace('"auth":', `"${k}":{"polluted":true},"auth":`);
        const r = parseVaultAuditLine(text);
        if (r.kind === 'event') expect(typeof r.value.principal).toBe('string');
      }),
      { numRuns: 300 },
    );
  });
});

describe('the whole collector on generated files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vp-events-fuzz-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(clean);

  it('no crash, facts that validate, no pollution', async () => {
    let n = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(vaultLike.map((o) => JSON.stringify(o)), hostileValue.map(toJson), fc.string({ maxLength: 80, unit: 'binary' })), { maxLength: 40 }),
        fc.array(hostileValue.map(toJson), { maxLength: 10 }),
        fc.array(fc.oneof(recordLike, fc.string({ maxLength: 20 })), { maxLength: 30 }),
        async (vaultLines, otherLines, recordLines) => {
          const sub = join(dir, String(n++));
          const files = { 'audit.log': vaultLines.join('\n'), 'azure.json': otherLines.join('\r\n'), 'records.jsonl': [...otherLines, ...recordLines].join('\n') };
          rmSync(sub, { recursive: true, force: true });
          mkdirSync(sub);
          for (const [f, text] of Object.entries(files)) writeFileSync(join(sub, f), text);
          const cfg = parseEventsConfig(
            {
              max_line_bytes: 1024,
              sources: [
                { kind: 'vault-audit', path: join(sub, 'audit.log'), vault: 'vault-a' },
                { kind: 'azure-auditevent', path: join(sub, 'azure.json') },
                { kind: 'records', path: join(sub, 'records.jsonl'), covers: ['*'] },
              ],
            },
            join(sub, 'vaultproof.yaml'),
          );
          const snap = fleet();
          const r = await collectEvents(cfg, { now: NOW, deadline: Date.now() + 30_000 }, snap.vaults);
          expect(r.scopes.every((s) => s.status === 'complete')).toBe(true);
          accepted += r.report[2]?.records ?? 0;
          accepted -= r.report[2]?.malformed_lines ?? 0;
          validateSnapshot(JSON.parse(JSON.stringify(attachEvents(snap, r.events, r.scopes))), 'fuzz');
        },
      ),
      { numRuns: 60 },
    );
    expect(accepted).toBeGreaterThan(50); // the generator does reach the record store, not only the validator
  });

  it('pathological lines finish (no super-linear regular expression): 1 MiB of one character, deep nesting', async () => {
    const f = join(dir, 'patho.log');
    const deep = '['.repeat(100_000);
    const lines = ['a'.repeat(1 << 20), `{"time":"${'9'.repeat(500_000)}","type":"request"}`, deep, `{"records":${deep}}`, `{"type":"request","request":{"path":"${'*/'.repeat(2000)}","operation":"read"},"time":"2026-11-21T00:00:00Z"}`];
    writeFileSync(f, lines.join('\n'));
    let count = 0;
    await readLines(f, { maxLineBytes: 2 << 20 }, {
      line: (t) => {
        count++;
        parseVaultAuditLine(t);
        parseAzureAuditLine(t);
        parseRecordLine(t);
      },
      oversized: () => undefined,
    });
    expect(count).toBe(lines.length);
  });
});
