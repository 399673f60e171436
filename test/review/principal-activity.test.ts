/**
 * VP-REV-002 on activity the events collector derives from real audit logs (issue 15): the
 * per-principal activity (`events.principal_activity`) was never produced, so the rule always
 * reported error. Here a Vault audit log and an Azure AuditEvent export are collected, attached to
 * a snapshot and reviewed: active principals pass, a principal silent in fully read logs fails, and
 * only a principal whose vault's log was not read is error.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachEvents, collectEvents, parseEventsConfig } from '../../src/collectors/events/index.js';
import type { Grant, Principal, Snapshot } from '../../src/snapshot/types.js';
import { DAY, fleet, IDS, NOW } from '../collectors/events/fleet.js';
import { review } from './helpers.js';

const HV = IDS.hv;
const iso = (t: number) => new Date(t * 1000).toISOString();

function principal(id: string, type: Principal['type'], name: string, provider: Principal['provider']): Principal {
  return { id, provider, type, display_name: name, auth_methods: [], member_of: [], subsystem: 'control-plane' };
}

function estate(): Snapshot {
  const s = fleet();
  const hv = s.vaults[HV];
  if (!hv?.hashicorp) throw new Error('fleet without vault-a');
  for (const name of ['ci', 'idle', 'deploy']) {
    const id = `${HV}:role:approle/${name}`;
    hv.hashicorp.auth_roles[id] = { id, method: 'approle', name: `approle/${name}`, token_policies: [name], token_ttl: 3600, token_max_ttl: 3600, secret_id_ttl: 3600 };
    s.principals[id] = principal(id, 'vault-role', `approle role ${name}`, 'hashicorp-vault');
  }
  s.principals[`${HV}:entity:e-bob`] = principal(`${HV}:entity:e-bob`, 'vault-entity', 'bob', 'hashicorp-vault');
  s.principals['aaaa-1111'] = principal('aaaa-1111', 'service-principal', 'sp-active', 'azure-keyvault');
  s.principals['bbbb-2222'] = principal('bbbb-2222', 'service-principal', 'sp-idle', 'azure-keyvault');
  s.principals['cccc-3333'] = principal('cccc-3333', 'service-principal', 'sp-quiet-vault', 'azure-keyvault');
  const grant = (principalId: string, vault: string, scope: string, source: Grant['source']): Grant => ({ id: `${principalId}|${vault}`, principal: principalId, vault, scope, capabilities: ['read-value'], source });
  for (const p of ['ci', 'idle', 'deploy']) s.grants[`g-${p}`] = grant(`${HV}:role:approle/${p}`, HV, 'secret/project/*', 'vault-policy');
  s.grants['g-bob'] = grant(`${HV}:entity:e-bob`, HV, 'secret/project/*', 'vault-policy');
  s.grants['g-a'] = grant('aaaa-1111', IDS.ops, '*', 'rbac');
  s.grants['g-b'] = grant('bbbb-2222', IDS.ops, '*', 'rbac');
  s.grants['g-c'] = grant('cccc-3333', IDS.quiet, '*', 'rbac');
  return s;
}

function vaultLine(time: number, path: string, auth: Record<string, unknown>, id: string): string {
  return JSON.stringify({ time: iso(time), type: 'response', auth, request: { id, operation: 'read', path, mount_point: 'secret/', mount_type: 'kv' }, response: {} });
}

function logs(dir: string): void {
  const t = NOW - 3 * DAY;
  writeFileSync(join(dir, 'vault-a-audit.log'), [
    // AppRole tokens are all `approle`: the role comes from auth.metadata.role_name.
    vaultLine(t, 'secret/data/project/app/db', { display_name: 'approle', metadata: { role_name: 'ci' } }, 'r-1'),
    vaultLine(t + 60, 'secret/data/project/app/db', { display_name: 'approle', metadata: { role_name: 'ci' } }, 'r-2'),
    // A login names the mount in its path.
    JSON.stringify({ time: iso(t + 120), type: 'response', auth: { display_name: 'approle', entity_id: 'e-deploy', metadata: { role_name: 'deploy' } }, request: { id: 'r-3', operation: 'update', path: 'auth/approle/login' }, response: {} }),
    vaultLine(t + 180, 'secret/data/project/app/db', { display_name: 'userpass-bob', entity_id: 'e-bob', metadata: { username: 'bob' } }, 'r-4'),
    // Before the window: not activity in it.
    vaultLine(NOW - 60 * DAY, 'secret/data/project/app/db', { display_name: 'approle', metadata: { role_name: 'idle' } }, 'r-5'),
  ].join('\n') + '\n');
  mkdirSync(join(dir, 'azure'));
  writeFileSync(join(dir, 'azure', 'kv-ops.json'), JSON.stringify({
    time: iso(t), category: 'AuditEvent', operationName: 'SecretGet', resultType: 'Success', resultSignature: 'OK', correlationId: 'c-1',
    identity: { claim: { 'http://schemas.microsoft.com/identity/claims/objectidentifier': 'AAAA-1111' } },
    properties: { id: 'https://kv-ops.vault.azure.net/secrets/api-token/at2', httpStatusCode: 200 },
    resourceId: '/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-OPS',
  }) + '\n');
}

describe('VP-REV-002 on activity collected from audit logs (issue 15)', () => {
  it('passes active principals, fails a principal silent in fully read logs, errors only where a log was not read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vp-activity-'));
    logs(dir);
    const cfg = parseEventsConfig({ window_days: 31, sources: [{ kind: 'vault-audit', path: 'vault-a-audit.log', vault: 'vault-a' }, { kind: 'azure-auditevent', path: 'azure' }] }, join(dir, 'vaultproof.yaml'));
    const snap = estate();
    const collected = await collectEvents(cfg, { now: NOW, deadline: Date.now() + 60_000 }, snap.vaults);
    expect(collected.events.principal_activity).toEqual({
      [`${HV}:entity:e-bob`]: { last_seen: NOW - 3 * DAY + 180, operations: 1 },
      [`${HV}:entity:e-deploy`]: { last_seen: NOW - 3 * DAY + 120, operations: 1 },
      [`${HV}:role:approle/ci`]: { last_seen: NOW - 3 * DAY + 60, operations: 2 },
      [`${HV}:role:approle/deploy`]: { last_seen: NOW - 3 * DAY + 120, operations: 1 },
      'aaaa-1111': { last_seen: NOW - 3 * DAY, operations: 1 },
    });
    const doc = await review(attachEvents(snap, collected.events, collected.scopes));
    const got = Object.fromEntries(doc.findings.filter((f) => f.rule_id === 'VP-REV-002').map((f) => [f.resource.id, [f.status, f.message]]));
    expect(got).toEqual({
      [`${HV}:role:approle/ci`]: ['pass', "'approle role ci' made 2 request(s) in the 31-day window, last 2026-11-26"],
      [`${HV}:role:approle/deploy`]: ['pass', "'approle role deploy' made 1 request(s) in the 31-day window, last 2026-11-26"],
      [`${HV}:entity:e-bob`]: ['pass', "'bob' made 1 request(s) in the 31-day window, last 2026-11-26"],
      'aaaa-1111': ['pass', "'sp-active' made 1 request(s) in the 31-day window, last 2026-11-26"],
      [`${HV}:role:approle/idle`]: ['fail', "'approle role idle' holds access but made no request in the 31-day window"],
      'bbbb-2222': ['fail', "'sp-idle' holds access but made no request in the 31-day window"],
      'cccc-3333': ['error', "'sp-quiet-vault' made no request seen in the 31-day window, but its activity cannot be judged: the audit log of kv-quiet was not read"],
    });
    expect(doc.activity.available).toBe(true);
  });
});
