/**
 * The process controls' records (VP-PRC-*): every record type of examples/events/process-records.yaml
 * is read into the `process` and `rotation_runs` facts, resolved to the snapshot's objects and
 * vaults; malformed records are reported with file, line and the JSON path of what is wrong.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachEvents, collectEvents, parseEventsConfig } from '../../../src/collectors/events/index.js';
import { validateSnapshot } from '../../../src/snapshot/validate.js';
import { PACKAGE_ROOT } from '../../../src/version.js';
import { fleet, IDS, NOW } from './fleet.js';

const EXAMPLE = join(PACKAGE_ROOT, 'examples', 'events', 'process-records.yaml');
const ctx = () => ({ now: NOW, deadline: Date.now() + 60_000 });
const config = (path: string) => parseEventsConfig({ window_days: 31, sources: [{ kind: 'records', path, format: 'yaml' }] }, join(PACKAGE_ROOT, 'vaultproof.yaml'));
const t = (iso: string) => Date.parse(iso) / 1000;

describe('process records (examples/events/process-records.yaml)', () => {
  it('reads every record type of the example without a malformed record, into process and rotation_runs', async () => {
    const r = await collectEvents(config(EXAMPLE), ctx(), fleet().vaults);
    const [source] = r.report;
    expect([source?.status, source?.malformed_lines, source?.records]).toEqual(['complete', 0, 11]);
    // Every object and vault the records name is in the test fleet (primary_key is informational, not resolved).
    expect(source?.unresolved).toBe(0);
    const p = r.events.process;
    expect(p?.hsm_failovers['FO-2026-02']).toEqual({
      started_at: t('2026-11-17T08:00:00Z'), ended_at: t('2026-11-17T13:00:00Z'), secondary_key: IDS.apiToken, vault: IDS.ops,
      requester: 'r.hahn@contoso.example', first_use_at: t('2026-11-17T10:00:00Z'), evidence_pack_sha256: 'a'.repeat(64),
      approvals: [{ approver: 'k.owner@contoso.example', approved_at: t('2026-11-17T09:00:00Z') }],
    });
    expect(p?.packaging_pauses['PAUSE-2026-07']).toEqual({ pipeline: 'packaging-release', paused_at: t('2026-11-17T07:50:00Z'), resumed_at: t('2026-11-17T14:00:00Z'), failover_id: 'FO-2026-02' });
    expect(p?.hsm_attestations['*']).toMatchObject({ attestation_id: 'HSM-ATT-2026-10', failovers: 0, from: t('2026-10-01T00:00:00Z'), to: t('2026-10-31T23:59:59Z') });
    expect(p?.compromises['inc-2026-0877']).toEqual({ detected_at: t('2026-11-24T06:00:00Z'), objects: { [IDS.dbPassword]: IDS.ops }, source: 'siem:gateway-anomaly' });
    expect(Object.values(p?.notifications ?? {})).toEqual([{ notified_at: t('2026-11-24T06:30:00Z'), notified: ['cab', 'security'], incident_id: 'inc-2026-0877', vault: null, ticket: 'SEC-2026-0311' }]);
    expect(p?.break_glass[`${IDS.emergency}|BG-2026-0031`]).toEqual({ object: IDS.emergency, vault: IDS.ops, used_at: t('2026-11-24T07:00:00Z'), correlation_id: null, incident_id: 'inc-2026-0877' });
    expect(p?.outage_drills[IDS.ops]).toEqual({ drill_id: 'DRILL-2026-11-OPS', started_at: t('2026-11-09T10:00:00Z'), ended_at: t('2026-11-09T10:30:00Z'), blocked: true, publishes_attempted: 4 });
    expect(r.events.rotation_runs?.[IDS.apiToken]?.['run-4124']?.attempts.map((a) => [a.attempt, a.status, a.version])).toEqual([
      [1, 'failed', null],
      [2, 'succeeded', 'at2'],
    ]);
    const attached = attachEvents(fleet(), r.events, r.scopes);
    expect(() => validateSnapshot(attached, 'attached')).not.toThrow();
  });

  it('reports a malformed record with file, line and the JSON path of what is wrong, and keeps the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vp-process-'));
    try {
      const file = join(dir, 'records.yaml');
      writeFileSync(
        file,
        [
          '- type: vault-outage-drill',
          '  drill_id: D1',
          '  vault: kv-ops',
          '  time: "2026-11-09T10:00:00Z"',
          '  blocked: "yes"',
          '- type: hsm-failover',
          '  failover_id: F1',
          '  time: "2026-11-17T08:00:00Z"',
          '  secondary_key: https://kv-ops.vault.azure.net/secrets/api-token',
          '  ended_at: yesterday',
          '- type: security-notification',
          '  notified: [cab]',
          '  time: "2026-11-24T06:30:00Z"',
          '- type: rotation-run',
          '  run_id: r1',
          '  object: https://kv-ops.vault.azure.net/secrets/api-token',
          '  attempt: 0',
          '  time: "2026-11-19T02:00:00Z"',
          '  status: failed',
          '  actor: rotation-pipeline',
          '- type: vault-outage-drill',
          '  drill_id: D2',
          '  vault: kv-ops',
          '  time: "2026-11-10T10:00:00Z"',
          '  blocked: false',
          '',
        ].join('\n'),
      );
      const r = await collectEvents(config(file), ctx(), fleet().vaults);
      const [source] = r.report;
      expect(source?.status).toBe('complete');
      expect(source?.malformed.map((m) => [m.file, m.line, m.reason])).toEqual([
        [file, 1, '$[0].blocked: expected boolean'],
        [file, 6, '$[1].ended_at: expected an RFC 3339 date-time or epoch seconds'],
        [file, 11, '$[2]: expected incident_id or vault (what the notification was about)'],
        [file, 14, '$[3].attempt: expected a value that must be >= 1'],
      ]);
      expect(r.events.process?.outage_drills[IDS.ops]?.drill_id).toBe('D2');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves the process sections out when no source is their evidence, so the VP-PRC rules report error', async () => {
    const r = await collectEvents(parseEventsConfig({ sources: [{ kind: 'records', path: EXAMPLE, format: 'yaml', sections: ['rotations'] }] }, join(PACKAGE_ROOT, 'vaultproof.yaml')), ctx(), fleet().vaults);
    expect(r.events.process).toBeUndefined();
    expect(r.events.rotation_runs).toBeUndefined();
  });
});
