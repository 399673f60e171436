/**
 * Evaluates shards on a pool of worker threads sized to the cores: the policy module is compiled
 * once here and instantiated in each worker, shard bytes are transferred (not copied), at most two
 * shards per worker are in flight (memory stays bounded by the largest shards, not the fleet), and
 * results are put back in shard order so the outcome never depends on scheduling.
 *
 * Workers need compiled JS (dist/engine/worker.js). Where it is absent (running the TypeScript
 * sources, e.g. under ts-jest) or one worker would do, shards are evaluated in-process instead;
 * both paths run the same `evaluateShard`.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CatalogIndex, RuleMeta } from '../findings/catalog.js';
import { PolicyEvaluationError } from './errors.js';
import { InputError } from '../util/input-error.js';
import type { Finding } from '../findings/types.js';
import { processShard, type RuleFailureRecord, type ShardResult, type ShardTask, type WorkerInit, type WorkerReply } from './pool-protocol.js';
import { ShardRenderer, type RenderSettings } from './shard-render.js';
import type { CompiledPolicy, GrantTypes, WasmModule } from './policy.js';
import { mergeGrantTypes, type ShardInput } from './shards.js';

export interface PoolOptions {
  /** Worker threads; default: the available cores. 1 (or 0) evaluates in-process. */
  workers?: number;
  /** The compiled worker script; default: worker.js beside this module when it exists. null: in-process. */
  workerScript?: string | null;
}

export interface ShardEvaluator {
  readonly mode: 'workers' | 'in-process';
  readonly size: number;
  /**
   * Evaluates the shards and hands each result to `onResult` in the order the shards were given,
   * as soon as it and every earlier one are done (at most two shards per worker are in flight,
   * so memory stays bounded by the largest shards, not the fleet). Rejects with the first
   * failing shard in shard order.
   */
  evaluateEach(shards: Iterable<ShardInput>, onResult: (result: ShardResult, shard: string) => void): Promise<void>;
  /** Findings of every shard, concatenated in shard order, their grant_types merged and their rule failures (object mode). */
  evaluateAll(shards: Iterable<ShardInput>): Promise<AllResults>;
  close(): Promise<void>;
}

/** dist/engine/worker.js when this module is itself the compiled one; undefined under the TS sources. */
export interface AllResults {
  findings: Finding[];
  grantTypes: GrantTypes;
  ruleFailures: RuleFailureRecord[];
}

export function defaultWorkerScript(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  const sibling = join(dirname(here), 'worker.js');
  return here.endsWith('.js') && existsSync(sibling) ? sibling : undefined;
}

export function poolSize(requested: number | undefined, shards: number): number {
  const cores = requested ?? availableParallelism();
  return Math.max(1, Math.min(cores, shards));
}

export interface PoolSetup {
  module: WasmModule;
  data: unknown;
  rules: RuleMeta[];
  /** The in-process policy and catalog, for the fallback. */
  policy: CompiledPolicy;
  catalog: CatalogIndex;
  /** Render findings where they are evaluated (shard-render.ts) instead of returning them. */
  render?: RenderSettings;
}

export function createEvaluator(setup: PoolSetup, shardCount: number, opts: PoolOptions = {}): ShardEvaluator {
  const size = poolSize(opts.workers, shardCount);
  const script = opts.workerScript === null ? undefined : (opts.workerScript ?? defaultWorkerScript());
  const renderer = setup.render ? new ShardRenderer(setup.render) : undefined;
  if (size <= 1 || !script) return new InProcessEvaluator(setup.policy, setup.catalog, renderer);
  if (!existsSync(script)) throw new Error(`engine worker script ${script} not found (run \`npm run build:ts\`)`);
  return new WorkerPool(script, { module: setup.module, data: setup.data, rules: setup.rules, ...(setup.render ? { render: setup.render } : {}) }, size);
}

/** evaluateAll on top of evaluateEach: findings concatenated, grant_types merged (a repeated grant is a defect). */
async function collectAll(evaluator: ShardEvaluator, shards: Iterable<ShardInput>): Promise<AllResults> {
  const findings: Finding[] = [];
  const grantTypes: GrantTypes = {};
  const ruleFailures: RuleFailureRecord[] = [];
  await evaluator.evaluateEach(shards, (r, shard) => {
    if (!r.findings) throw new PolicyEvaluationError('evaluateAll needs findings, the evaluator renders them', shard);
    for (const f of r.findings) findings.push(f);
    if (r.ruleFailures) ruleFailures.push(...r.ruleFailures);
    mergeGrantTypes(grantTypes, r.grantTypes, shard);
  });
  return { findings, grantTypes, ruleFailures };
}

class InProcessEvaluator implements ShardEvaluator {
  readonly mode = 'in-process' as const;
  readonly size = 1;
  constructor(
    private readonly policy: CompiledPolicy,
    private readonly catalog: CatalogIndex,
    private readonly renderer?: ShardRenderer,
  ) {}

  async evaluateEach(shards: Iterable<ShardInput>, onResult: (result: ShardResult, shard: string) => void): Promise<void> {
    for (const s of shards) onResult(processShard(this.policy, this.catalog, s.id, s.bytes, this.renderer), s.id);
  }

  evaluateAll(shards: Iterable<ShardInput>): Promise<AllResults> {
    return collectAll(this, shards);
  }

  async close(): Promise<void> {}
}

function revive(error: { name: string; message: string; shard: string; input?: { file: string; path: string; detail: string } }): Error {
  if (error.input) return new InputError(error.input.file, error.input.path, error.input.detail);
  if (error.name === 'PolicyEvaluationError') return new PolicyEvaluationError(error.message, error.shard);
  return new PolicyEvaluationError(`policy evaluation failed for ${error.shard}: ${error.message}`, error.shard);
}

class WorkerPool implements ShardEvaluator {
  readonly mode = 'workers' as const;
  private readonly workers: Worker[];

  constructor(script: string, init: WorkerInit, readonly size: number) {
    this.workers = Array.from({ length: size }, () => new Worker(script, { workerData: init }));
  }

  evaluateAll(shards: Iterable<ShardInput>): Promise<AllResults> {
    return collectAll(this, shards);
  }

  evaluateEach(shards: Iterable<ShardInput>, onResult: (result: ShardResult, shard: string) => void): Promise<void> {
    const iterator = shards[Symbol.iterator]();
    /** Results that arrived before an earlier shard's, by seq. */
    const done = new Map<number, ShardResult>();
    const ids = new Map<number, string>();
    const inFlight = new Map<Worker, number>(this.workers.map((w) => [w, 0]));
    let next = 0;
    let delivered = 0;
    let pending = 0;
    let exhausted = false;
    let failure: { seq: number; error: Error } | undefined;

    return new Promise<void>((resolve, reject) => {
      const finish = () => {
        for (const w of this.workers) w.removeAllListeners('message').removeAllListeners('error');
        if (failure) reject(failure.error);
        else resolve();
      };
      const fail = (seq: number, error: Error) => {
        // The first failing shard in shard order wins, whatever the scheduling.
        if (!failure || seq < failure.seq) failure = { seq, error };
      };
      // Hands over every result whose predecessors have all been handed over.
      const deliver = () => {
        while (!failure && done.has(delivered)) {
          const r = done.get(delivered) as ShardResult;
          done.delete(delivered);
          try {
            onResult(r, ids.get(delivered) as string);
          } catch (e) {
            fail(delivered, e as Error);
          }
          ids.delete(delivered);
          delivered++;
        }
      };
      const feed = (w: Worker) => {
        while (!failure && !exhausted && (inFlight.get(w) ?? 0) < 2) {
          let item: IteratorResult<ShardInput>;
          try {
            item = iterator.next();
          } catch (e) {
            // Building the next shard failed (e.g. a vault read from the file is invalid).
            fail(next, e as Error);
            break;
          }
          if (item.done) {
            exhausted = true;
            break;
          }
          const task: ShardTask = { seq: next++, shard: item.value.id, bytes: item.value.bytes };
          ids.set(task.seq, task.shard);
          inFlight.set(w, (inFlight.get(w) ?? 0) + 1);
          pending++;
          w.postMessage(task, [task.bytes]);
        }
        if (pending === 0 && (exhausted || failure)) finish();
      };
      for (const w of this.workers) {
        w.on('message', (reply: WorkerReply) => {
          inFlight.set(w, (inFlight.get(w) ?? 1) - 1);
          pending--;
          if ('error' in reply) fail(reply.seq, revive(reply.error));
          else {
            const { seq, ...result } = reply;
            done.set(seq, result);
            deliver();
          }
          feed(w);
        });
        w.on('error', (e: Error) => {
          failure ??= { seq: -1, error: new PolicyEvaluationError(`evaluation worker failed: ${e.message}`, 'worker', e) };
          reject(failure.error);
        });
      }
      for (const w of this.workers) feed(w);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
