/**
 * Fault injection between the SDK and both test servers: with 30 % of requests failing transiently
 * (429 with Retry-After, 500, 503, connection resets, slow answers) the snapshot equals the fault-free
 * one — nothing lost, nothing duplicated. Past the deadline the throttled scopes are incomplete and
 * nothing is reported complete that was not read.
 */
import { collectAzureKeyVault, RequestLog } from '../../../src/collectors/azure-keyvault/index.js';
import type { SnapshotFragment } from '../../../src/collectors/types.js';
import { hasOpenssl } from '../../support/keyvault-faults/tls.js';
import { seedBulk, startFleet, type Fleet } from '../../support/arm-test-server/fleet.js';
import { buildStandardFleet, CANARY, configFor } from './standard-fleet.js';

function requireOpenssl(): boolean {
  if (hasOpenssl()) return true;
  if (process.env.CI === 'true') throw new Error('openssl CLI is required for the Azure collector fault tests');
  console.warn('skipping Azure collector fault tests: openssl CLI not found');
  return false;
}

const strip = (f: SnapshotFragment) => ({ vaults: f.vaults, grants: f.grants, principals: f.principals, replication: f.replication, scopes: f.scopes });

describe('Azure collector under injected faults', () => {
  const enabled = requireOpenssl();
  let fleet: Fleet;
  let baseline: SnapshotFragment;
  const t = enabled ? test : test.skip;

  beforeAll(async () => {
    if (!enabled) return;
    fleet = await startFleet();
    process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = fleet.arm.tokenUrl;
    await buildStandardFleet(fleet);
    seedBulk(await fleet.addVault({ name: 'kv-bulk', location: 'westeurope' }), { secrets: 40, keys: 10, certificates: 10 }, (i) => `${CANARY}-bulk-${i}`);
    baseline = await collectAzureKeyVault(configFor(fleet), { now: 0, deadline: Date.now() + 60_000 });
  });
  afterAll(async () => {
    delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
    await fleet?.close();
  });

  t('30 % transient failures on both servers: same snapshot, every fault retried', async () => {
    const plan = { rate: 0.3, kinds: ['429', '500', '503', 'reset', 'slow'] as const, retryAfterSeconds: 0, slowMs: 50 };
    fleet.kv.faults.set({ ...plan, kinds: [...plan.kinds], seed: 7 });
    fleet.arm.faults.set({ ...plan, kinds: [...plan.kinds], seed: 11 });
    const log = new RequestLog();
    const cfg = configFor(fleet, { retry: { attempts: 10, base_delay_ms: 5, max_delay_ms: 100 } });
    const faulty = await collectAzureKeyVault(cfg, { now: 0, deadline: Date.now() + 120_000 }, { requestLog: log });
    const count = (s: typeof fleet.kv.faults.stats) => s.injected['429'] + s.injected['500'] + s.injected['503'] + s.injected.reset;
    const injected = count(fleet.kv.faults.stats) + count(fleet.arm.faults.stats);
    fleet.kv.faults.set(null);
    fleet.arm.faults.set(null);
    expect(injected).toBeGreaterThan(10);
    expect(strip(faulty)).toEqual(strip(baseline));
    expect(log.summary().retries).toBeGreaterThan(10);
    expect(log.entries.filter((e) => e.status === 0).length).toBeGreaterThan(0); // resets were seen and retried
    expect(JSON.stringify(faulty)).not.toContain(CANARY);
  });

  t('throttled past the deadline: affected scopes incomplete, never complete', async () => {
    // Every secrets list of every vault answers 429 Retry-After 30 s: no retry fits the 3 s deadline.
    fleet.kv.faults.set({ rate: 0, kinds: [], alwaysThrottle: { pattern: /^\/secrets$/, retryAfterSeconds: 30 } });
    const started = Date.now();
    // Retry-After is honoured up to max_delay_ms (60 s here), so the 30 s wait cannot fit the deadline.
    const cfg = configFor(fleet, { retry: { attempts: 6, base_delay_ms: 20, max_delay_ms: 60_000 } });
    const f = await collectAzureKeyVault(cfg, { now: 0, deadline: Date.now() + 3_000 });
    fleet.kv.faults.set(null);
    expect(Date.now() - started).toBeLessThan(15_000);
    const secretScopes = f.scopes.filter((s) => s.scope.endsWith('/secrets'));
    expect(secretScopes).toHaveLength(4);
    for (const s of secretScopes) {
      expect(s.status).toBe('incomplete');
      expect(s.reason).toMatch(/deadline/);
    }
    for (const v of Object.values(f.vaults)) {
      expect(Object.values(v.objects).filter((o) => o.kind === 'secret')).toEqual([]);
      expect(f.scopes.find((s) => s.scope === v.id)?.status).toBe('incomplete');
    }
  });

  t('a 403 is not retried and names the permission', async () => {
    const log = new RequestLog();
    const f = await collectAzureKeyVault(configFor(fleet), { now: 0, deadline: Date.now() + 30_000 }, { requestLog: log });
    const locked = f.scopes.find((s) => s.scope.endsWith('kv-locked/secrets'));
    expect(locked?.reason).toMatch(/forbidden \(403/);
    const forbiddenAttempts = log.entries.filter((e) => e.status === 403 && /\/secrets$/.test(e.url.split('?')[0] ?? ''));
    expect(forbiddenAttempts.map((e) => e.attempt)).toEqual([1]);
  });
});
