/**
 * The consumers collector in the one collector shape (`../types.ts`): the `consumers:` block is the
 * target, the fragment the snapshot's `consumers` section. It reads local files only (no request, an
 * empty ledger). Each consumer is a scope (`consumer:<id>`), incomplete when a file could not be
 * read or parsed; the consumer record then carries the error, and the rules report `error` for it.
 */
import type { CollectionScope, Consumer } from '../../snapshot/types.js';
import type { CollectContext, Collector } from '../types.js';
import { parseConsumersConfig, type ConsumersConfig } from './config.js';
import { readConsumer } from './read.js';

export const consumersCollector: Collector<ConsumersConfig, { consumers: Record<string, Consumer> }, CollectContext> = {
  provider: 'consumers',
  configKey: 'consumers',
  parse: (block, file) => parseConsumersConfig(block, file),
  secretEnvNames: () => [],
  async collect(cfg) {
    const consumers: Record<string, Consumer> = {};
    const scopes: CollectionScope[] = [];
    for (const entry of cfg.entries) {
      const { consumer, incomplete } = await readConsumer(entry, cfg.base);
      consumers[consumer.id] = consumer;
      scopes.push({ provider: 'consumers', scope: `consumer:${consumer.id}`, status: incomplete ? 'incomplete' : 'complete', ...(incomplete ? { reason: incomplete } : {}) });
    }
    return { fragment: { consumers }, scopes, ledger: [] };
  },
};
