/**
 * `collect`: runs the collectors of the registry (src/collectors/registry.ts) whose blocks
 * vaultproof.yaml has, under one deadline, and writes the snapshot. The clock is read once, here: it
 * becomes the snapshot's `now`.
 *
 * With a ledger (issue 11), every call the collectors send is recorded through the context's ledger
 * (each collector knows how: Azure calls on the wire, Vault calls from each cluster's request log) and
 * each collector completes its identity statement (access-token claims, lookup-self).
 */
import { randomUUID } from 'node:crypto';
import { configuredTargets, collectorKeys, FILE_COLLECTORS, VAULT_COLLECTORS } from '../../collectors/registry.js';
import { createProgress } from '../../collectors/shared/progress.js';
import { parseEventsConfig } from '../../collectors/events/index.js';
import type { CollectorContext, SnapshotFragment } from '../../collectors/types.js';
import type { VaultproofConfig } from '../../config/load.js';
import { classifyCalls, describeFlagged } from '../../ledger/read.js';
import { fileSink, Ledger } from '../../ledger/writer.js';
import type { Logger } from '../../log/logger.js';
import { assembleSnapshot } from '../../snapshot/assemble.js';
import { withEvents } from './events.js';
import { applyPrincipalRules } from '../../config/principals.js';
import type { Snapshot } from '../../snapshot/types.js';
import { validateSnapshot } from '../../snapshot/validate.js';
import { InputError } from '../../util/input-error.js';
import { TOOL_VERSION } from '../../version.js';

export const DEFAULT_DEADLINE_SECONDS = 1800;

export interface CollectFlags {
  progress?: boolean;
  /** The scan id, chosen before collection so that log lines and the ledger carry it. */
  scanId?: string;
  /** Records every call the collectors send. */
  ledger?: Ledger;
  log?: Logger;
}

/**
 * Collects every target the config names, one collector after the other in registry order (each
 * collector parallelises within its target), under one deadline; then the events, on the collected
 * vaults. The environment is read here and handed to the collectors through their context.
 */
export async function collectSnapshot(config: VaultproofConfig, configFile: string, flags: CollectFlags = {}): Promise<Snapshot> {
  const env = process.env;
  const targets = configuredTargets(config, configFile, env);
  // A config naming only consumers (their files, no vault) collects them alone.
  const fileBlocks = FILE_COLLECTORS.filter((c) => (config as unknown as Record<string, unknown>)[c.configKey] !== undefined);
  if (targets.length === 0 && fileBlocks.length === 0) throw new InputError(configFile, '$', `expected an ${collectorKeys()} block to collect from`);
  const { ledger, log } = flags;
  // Credentials in the environment are scrubbed from the log, configured providers or not.
  for (const collector of VAULT_COLLECTORS) {
    for (const name of collector.secretEnvNames(targets.find((t) => t.collector === collector)?.target)) log?.addSecret(env[name]);
  }
  const startedMs = Date.now();
  // The scan's correlation id travels in the header the events config reads back from Vault's audit log.
  const correlationHeader = config.events !== undefined ? parseEventsConfig(config.events, configFile).correlation_header : undefined;
  const ctx: CollectorContext = {
    now: Math.floor(startedMs / 1000),
    deadline: startedMs + (config.collection?.deadline_seconds ?? DEFAULT_DEADLINE_SECONDS) * 1000,
    ...(ledger ? { correlationId: ledger.correlationId, ledger } : {}),
    ...(correlationHeader ? { correlationHeader } : {}),
    // The progress line is for terminals; JSON logs stay pure JSON lines.
    progress: log?.format === 'json' ? undefined : createProgress({ stream: process.stderr, force: flags.progress, env }),
    env,
    ...(log ? { log } : {}),
  };
  const fragments: SnapshotFragment[] = [];
  try {
    for (const { collector, target } of targets) {
      log?.info('collect.provider.start', `collecting ${collector.provider}`, { provider: collector.provider });
      const result = await collector.collect(target, ctx);
      const fragment: SnapshotFragment = { ...result.fragment, scopes: result.scopes };
      logFragment(log, collector.provider, fragment);
      fragments.push(fragment);
    }
    for (const collector of FILE_COLLECTORS) {
      const block = (config as unknown as Record<string, unknown>)[collector.configKey];
      if (block === undefined) continue;
      const result = await collector.collect(collector.parse(block, configFile, env), ctx);
      fragments.push({ vaults: {}, principals: {}, grants: {}, replication: {}, identities: [], ...result.fragment, scopes: result.scopes });
    }
  } finally {
    ctx.progress?.done();
  }
  let snapshot = assembleSnapshot(fragments, { scanId: flags.scanId ?? ledger?.scanId ?? randomUUID(), now: ctx.now, regionsInScope: config.regions_in_scope });
  snapshot = applyPrincipalRules(snapshot, config.principals);
  if (config.events !== undefined) snapshot = await withEvents(snapshot, config, configFile, ctx, log);
  // The collectors' output is checked like any input: a collector bug must not reach the rules.
  const valid = validateSnapshot(JSON.parse(JSON.stringify(snapshot)), 'collected snapshot');
  if (ledger && log) logLedgerAudit(ledger, valid, log);
  return valid;
}

function logFragment(log: Logger | undefined, provider: string, f: SnapshotFragment): void {
  if (!log) return;
  const incomplete = f.scopes.filter((s) => s.status === 'incomplete');
  log.info('collect.provider.done', `${provider}: ${Object.keys(f.vaults).length} vault(s), ${f.scopes.length} scope(s), ${incomplete.length} incomplete`, {
    provider,
    vaults: Object.keys(f.vaults).length,
    scopes: f.scopes.length,
    incomplete: incomplete.length,
  });
  for (const i of f.identities) log.info('collect.identity', `${provider}: scanned as ${i.display_name ?? i.id}`, { provider, identity: i.id, endpoint: i.endpoint, policies: i.policies ?? [] });
}

/** The scan's own check of its ledger: value-reading or unknown calls are logged as errors at once. */
function logLedgerAudit(ledger: Ledger, snapshot: Snapshot, log: Logger): void {
  const audit = classifyCalls(ledger.recorded, snapshot);
  log.info('ledger.summary', `request ledger: ${ledger.recorded.length} call(s), ${audit.valueReads.length} value-reading, ${audit.unclassified.length} unclassified`, {
    calls: ledger.recorded.length,
    value_reading_calls: audit.valueReads.length,
    unclassified_calls: audit.unclassified.length,
  });
  for (const f of [...audit.valueReads, ...audit.unclassified]) log.error('ledger.flagged_call', `${f.classification.kind} call ${describeFlagged(f)}`, { seq: f.call.seq });
}

export interface CollectionRun {
  snapshot: Snapshot;
  ledger: Ledger;
}

/**
 * A collection with its ledger: the scan id is chosen here, the log context set, the ledger streamed
 * to `ledgerFile` (when given) as calls happen and ended whatever the outcome.
 */
export async function collectWithLedger(
  collect: (flags: CollectFlags) => Promise<Snapshot>,
  opts: { correlationId: (scanId: string) => string; ledgerFile?: string; log: Logger; progress?: boolean },
): Promise<CollectionRun> {
  const scanId = randomUUID();
  const correlationId = opts.correlationId(scanId);
  opts.log.setContext({ scan_id: scanId, correlation_id: correlationId });
  const ledger = new Ledger({ scanId, correlationId, toolVersion: TOOL_VERSION, sinks: opts.ledgerFile ? [fileSink(opts.ledgerFile)] : [] });
  let ok = false;
  try {
    let snapshot = await collect({ progress: opts.progress, scanId, ledger, log: opts.log });
    // A shard with nothing to collect is assembled without collecting: it still belongs to this run.
    if (snapshot.scan_id !== scanId) snapshot = { ...snapshot, scan_id: scanId };
    ok = true;
    return { snapshot, ledger };
  } finally {
    ledger.finish(ok);
    if (opts.ledgerFile) opts.log.info('ledger.written', `request ledger: ${ledger.recorded.length} call(s) -> ${opts.ledgerFile}`, { calls: ledger.recorded.length, file: opts.ledgerFile });
  }
}
