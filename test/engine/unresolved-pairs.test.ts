/**
 * The fleet input's `unresolved_pairs` (VP-REP-003): the replication pairs a collector was configured
 * to line up but could not, one side not collected, as the incomplete `replication:` scopes say.
 */
import { loadBundle } from '../../src/engine/bundle.js';
import { Engine } from '../../src/engine/evaluate.js';
import { unresolvedPairs } from '../../src/engine/shards.js';
import { requireBuiltBundle } from '../support/prerequisites.js';
import { azureVault, snapshot } from '../support/snapshot-builder.js';

const REASON = 'vault kv-neu was not collected (not found, filtered out or discovery failed)';

describe('unresolved replication pairs', () => {
  it('come from incomplete replication:<primary>-><secondary> scopes only', () => {
    expect(
      unresolvedPairs([
        { provider: 'azure-keyvault', scope: 'replication:kv-weu->kv-neu', status: 'incomplete', reason: REASON },
        { provider: 'azure-keyvault', scope: 'replication:kv-a->kv-b', status: 'complete' },
        { provider: 'azure-keyvault', scope: '/subscriptions/s1', status: 'incomplete', reason: 'x' },
      ]),
    ).toEqual({ 'replication:kv-weu->kv-neu': { primary: 'kv-weu', secondary: 'kv-neu', reason: REASON } });
  });

  it('make VP-REP-003 error, not fail, for a primary whose configured secondary was not collected', async () => {
    requireBuiltBundle();
    const engine = await Engine.create(loadBundle());
    const v = azureVault('kv-weu');
    const statusOf = (s: ReturnType<typeof snapshot>) => engine.evaluate(s, { toolVersion: '0' }).findings.find((f) => f.rule_id === 'VP-REP-003' && f.resource.id === v.id)?.status;
    expect(statusOf(snapshot([v]))).toBe('fail');
    const unresolved = snapshot([v]);
    unresolved.scopes.push({ provider: 'azure-keyvault', scope: 'replication:kv-weu->kv-neu', status: 'incomplete', reason: REASON });
    expect(statusOf(unresolved)).toBe('error');
  });
});
