/**
 * Issue 15: Vault Enterprise replication judged on what the clusters report. The Vault test server
 * serves sys/replication/status as Vault Enterprise does on a performance primary and secondary; the
 * collector's pairs go through the real engine.
 * - a secondary millions of WAL entries behind with a fresh heartbeat fails VaultReplicationLagMinutes
 *   (the lag was the time since the last heartbeat);
 * - a primary whose own status shows a disconnected secondary is judged although the config pairs
 *   it with nothing;
 * - a secondary that was promoted (takes writes) while behind fails FallbackVaultSynced.
 */
import { loadBundle } from '../../../src/engine/bundle.js';
import { Engine } from '../../../src/engine/evaluate.js';
import type { Finding } from '../../../src/findings/types.js';
import { collectHashicorpVaultDetailed } from '../../../src/collectors/hashicorp-vault/index.js';
import { assembleSnapshot } from '../../../src/snapshot/assemble.js';
import { SCANNER_TOKEN } from '../../support/vault-test-server/fixture.js';
import { requireBuiltBundle } from '../../support/prerequisites.js';
import { config, ctx, NOW, startPair, type Pair } from './helpers.js';

type Json = Record<string, unknown>;
const perf = (p: Pair, side: 'primary' | 'secondary') => (p[side].state.replication as { performance: Json }).performance;

async function judge(pair: Pair, cfg = config(pair)): Promise<{ findings: Finding[]; replication: Json }> {
  const { fragment } = await collectHashicorpVaultDetailed(cfg, ctx(), { env: { VAULT_TOKEN: SCANNER_TOKEN } });
  const snapshot = assembleSnapshot([fragment], { scanId: 'repl', now: NOW });
  const engine = await Engine.create(loadBundle());
  return { findings: engine.findings(snapshot).filter((f) => f.resource.type === 'replication'), replication: snapshot.replication as unknown as Json };
}

const of = (findings: Finding[], rule: string, id: string) => findings.find((f) => f.rule_id === rule && f.resource.id === id);

describe('Vault Enterprise replication (issue 15)', () => {
  let pair: Pair;
  beforeAll(() => requireBuiltBundle());
  beforeEach(async () => {
    pair = await startPair();
  });
  afterEach(async () => {
    await pair?.close();
  });
  const ID = 'hashicorp-vault:east->hashicorp-vault:west';

  it('the seeded pair (10 WAL entries behind, canary 0.85 s old, a replication secondary) passes lag and fallback', async () => {
    const { findings } = await judge(pair);
    expect(of(findings, 'VP-REP-001', ID)).toMatchObject({ status: 'pass', metric: { value: 0.1 } });
    expect(of(findings, 'VP-REP-002', ID)).toMatchObject({ status: 'pass', message: 'west is 10 WAL entries behind and stays read-only until synced' });
  });

  it('a secondary millions of WAL entries behind with a fresh heartbeat fails the lag (it used to pass)', async () => {
    Object.assign(perf(pair, 'primary'), { last_wal: 4_200_000, last_performance_wal: 4_200_000 });
    const entry = (perf(pair, 'primary').secondaries as Json[])[0] as Json;
    Object.assign(entry, { last_heartbeat: new Date((NOW - 2) * 1000).toISOString(), replication_primary_canary_age_ms: '5400000' });
    Object.assign(perf(pair, 'secondary'), { state: 'merkle-sync', last_remote_wal: 1490 });
    const { findings } = await judge(pair);
    expect(of(findings, 'VP-REP-001', ID)).toMatchObject({ status: 'fail', metric: { value: 90 }, message: 'replication lag to west is 90 minutes (5400 s; 4198510 WAL entries behind); the limit is 5 minutes' });
  });

  it('behind with no age reported (no canary, connected): error, never pass', async () => {
    delete ((perf(pair, 'primary').secondaries as Json[])[0] as Json).replication_primary_canary_age_ms;
    const { findings } = await judge(pair);
    expect(of(findings, 'VP-REP-001', ID)?.status).toBe('error');
  });

  it('a disconnected secondary listed only in the primary status is judged although the config declares no pair', async () => {
    (perf(pair, 'primary').secondaries as Json[]).push({
      api_address: 'https://vault-dr.example.test:8200', cluster_address: 'https://vault-dr:8201', connection_status: 'disconnected',
      last_heartbeat: new Date((NOW - 3 * 3600) * 1000).toISOString(), node_id: 'dr-south', clock_skew_ms: '0',
    });
    const cfg = config(pair, { replicates_to: undefined });
    const { findings, replication } = await judge(pair, cfg);
    const undeclared = 'hashicorp-vault:east->hashicorp-vault:dr-south';
    expect(Object.keys(replication).sort()).toEqual([ID, undeclared].sort());
    expect(of(findings, 'VP-HCV-008', undeclared)).toMatchObject({ status: 'fail' });
    expect(of(findings, 'VP-REP-001', undeclared)).toMatchObject({ status: 'fail', metric: { value: 180 } });
    // Its WAL position was never read: whether it is synced cannot be told.
    expect(of(findings, 'VP-REP-002', undeclared)?.status).toBe('error');
  });

  it('a secondary the primary knows but that is not connected at all is judged as not connected', async () => {
    perf(pair, 'primary').known_secondaries = ['west', 'perf-tokyo'];
    const { findings, replication } = await judge(pair);
    const tokyo = 'hashicorp-vault:east->hashicorp-vault:perf-tokyo';
    expect((replication[tokyo] as Json).status).toMatchObject({ connection_state: 'not-connected', last_heartbeat: null, primary_last_wal: 1500, secondary_last_wal: null });
    expect(of(findings, 'VP-HCV-008', tokyo)?.status).toBe('fail');
    expect(of(findings, 'VP-REP-001', tokyo)?.status).toBe('error');
    expect(of(findings, 'VP-REP-002', tokyo)?.status).toBe('error');
  });

  it('a secondary promoted to primary while behind takes writes: FallbackVaultSynced fails', async () => {
    Object.assign(perf(pair, 'secondary'), { mode: 'primary', state: 'running', last_remote_wal: 1490 });
    const { findings, replication } = await judge(pair);
    expect((replication[ID] as Json).writes_permitted_on_secondary).toBe(true);
    expect(of(findings, 'VP-REP-002', ID)).toMatchObject({ status: 'fail', message: 'west is 10 WAL entries behind but writes are permitted on it' });
  });

  it('a DR secondary refuses the login but its unauthenticated status still tells it takes no writes', async () => {
    const primaryDr = { cluster_id: 'dr-1', known_secondaries: ['west'], last_dr_wal: 800, last_wal: 1500, mode: 'primary', state: 'running', secondaries: [{ api_address: pair.secondary.url, node_id: 'west', connection_status: 'connected', last_heartbeat: new Date((NOW - 2) * 1000).toISOString(), replication_primary_canary_age_ms: '1200' }] };
    Object.assign(pair.primary.state.replication as Json, { dr: primaryDr, performance: { mode: 'disabled' } });
    Object.assign(pair.secondary.state.replication as Json, { dr: { mode: 'secondary', state: 'stream-wals', connection_state: 'ready', last_remote_wal: 790 }, performance: { mode: 'disabled' } });
    const { fragment } = await collectHashicorpVaultDetailed(config(pair, { replication: 'dr' }), ctx(), { env: { VAULT_TOKEN: SCANNER_TOKEN } });
    expect(fragment.scopes.find((s) => s.scope === 'hashicorp-vault:west#login')?.status).toBe('incomplete');
    expect(fragment.replication[ID]).toMatchObject({
      writes_permitted_on_secondary: false,
      status: { primary_last_wal: 800, secondary_last_wal: 790, secondary_mode: 'secondary', canary_age_seconds: 1.2 },
    });
  });

  it("an unreadable secondary status leaves writability unknown: error while behind", async () => {
    pair.secondary.faults.push({ match: /^GET sys\/replication\/status$/, action: { status: 500 } });
    const { findings } = await judge(pair, config(pair, {}, { VAULT_TOKEN: SCANNER_TOKEN }));
    expect(of(findings, 'VP-REP-002', ID)?.status).toBe('error');
  });
});
