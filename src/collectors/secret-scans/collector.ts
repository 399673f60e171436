/**
 * The secret-scans collector in the one collector shape (`../types.ts`): the `secret_scans:` block
 * is the target; the fragment carries the snapshot's `secret_scans` section and no vault. It reads
 * local report files only (no request, an empty ledger). Each entry is a scope
 * (`secret-scan:<id>`), incomplete when its files could not be listed or read or a report is
 * malformed. It runs after the vault collectors (registry.ts `FILE_COLLECTORS`); with
 * `collect --shard K/N` every shard reads the same reports and `merge` keeps one copy.
 */
import type { CollectionScope, SecretScanFacts } from '../../snapshot/types.js';
import type { CollectContext, Collector, CollectorLog } from '../types.js';
import { parseSecretScansConfig, type SecretScansConfig } from './config.js';
import { readSecretScanEntry } from './read.js';

export const secretScansCollector: Collector<SecretScansConfig, { secret_scans: SecretScanFacts }, CollectContext & { log?: CollectorLog }> = {
  provider: 'secret-scans',
  configKey: 'secret_scans',
  parse: (block, file) => parseSecretScansConfig(block, file),
  secretEnvNames: () => [],
  async collect(cfg, ctx) {
    const facts: SecretScanFacts = { sources: {} };
    const scopes: CollectionScope[] = [];
    for (const entry of cfg.entries) {
      const source = await readSecretScanEntry(entry, cfg.base);
      facts.sources[source.id] = source;
      const malformed = Object.values(source.reports).find((r) => r.status === 'incomplete');
      const reason = source.reason ?? malformed?.reason;
      scopes.push({ provider: 'secret-scans', scope: `secret-scan:${source.id}`, status: reason === undefined ? 'complete' : 'incomplete', ...(reason !== undefined ? { reason } : {}) });
      const leaks = Object.values(source.reports).reduce((n, r) => n + Object.keys(r.findings).length, 0);
      ctx.log?.info('secret_scans.entry', `secret scans ${source.id}: ${Object.keys(source.reports).length} report(s), ${leaks} finding(s)${reason ? `; incomplete: ${reason}` : ''}`, {
        entry: source.id,
        reports: Object.keys(source.reports).length,
        findings: leaks,
        status: reason === undefined ? 'complete' : 'incomplete',
      });
    }
    return { fragment: { secret_scans: facts }, scopes, ledger: [] };
  },
};
