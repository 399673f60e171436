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
import type { CatalogIndex, RuleMeta } from './catalog.js';
import { PolicyEvaluationError } from './errors.js';
import { evaluateShard, type ShardResult, type ShardTask, type WorkerInit, type WorkerReply } from './pool-protocol.js';
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
   * Findings of every shard, concatenated in the order the shards were given, and their
   * grant_types merged.
   */
  evaluateAll(shards: Iterable<ShardInput>): Promise<ShardResult>;
  close(): Promise<void>;
}

/** dist/engine/worker.js when this module is itself the compiled one; undefined under the TS sources. */
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
}

export function createEvaluator(setup: PoolSetup, shardCount: number, opts: PoolOptions = {}): ShardEvaluator {
  const size = poolSize(opts.workers, shardCount);
  const script = opts.workerScript === null ? undefined : (opts.workerScript ?? defaultWorkerScript());
  if (size <= 1 || !script) return new InProcessEvaluator(setup.policy, setup.catalog);
  if (!existsSync(script)) throw new Error(`engine worker script ${script} not found (run \`npm run build:ts\`)`);
  return new WorkerPool(script, { module: setup.module, data: setup.data, rules: setup.rules }, size);
}

class InProcessEvaluator implements ShardEvaluator {
  readonly mode = 'in-process' as const;
  readonly size = 1;
  constructor(
    private readonly policy: CompiledPolicy,
    private readonly catalog: CatalogIndex,
  ) {}

  async evaluateAll(shards: Iterable<ShardInput>): Promise<ShardResult> {
    const results: ShardResult[] = [];
    const ids: string[] = [];
    for (const s of shards) {
      results.push(evaluateShard(this.policy, this.catalog, s.id, s.bytes));
      ids.push(s.id);
    }
    return combine(results, ids);
  }

  async close(): Promise<void> {}
}

/** Shard results in shard order: findings concatenated, grant_types merged (a repeated grant is a defect). */
function combine(results: ShardResult[], ids: string[]): ShardResult {
  const grantTypes: GrantTypes = {};
  results.forEach((r, i) => {
    try {
      mergeGrantTypes(grantTypes, r.grantTypes, ids[i] as string);
    } catch (e) {
      throw new PolicyEvaluationError((e as Error).message, ids[i] as string);
    }
  });
  return { findings: results.flatMap((r) => r.findings), grantTypes };
}

function revive(error: { name: string; message: string; shard: string }): Error {
  if (error.name === 'PolicyEvaluationError') return new PolicyEvaluationError(error.message, error.shard);
  return new PolicyEvaluationError(`policy evaluation failed for ${error.shard}: ${error.message}`, error.shard);
}

class WorkerPool implements ShardEvaluator {
  readonly mode = 'workers' as const;
  private readonly workers: Worker[];

  constructor(script: string, init: WorkerInit, readonly size: number) {
    this.workers = Array.from({ length: size }, () => new Worker(script, { workerData: init }));
  }

  evaluateAll(shards: Iterable<ShardInput>): Promise<ShardResult> {
    const iterator = shards[Symbol.iterator]();
    const results: ShardResult[] = [];
    const ids: string[] = [];
    const inFlight = new Map<Worker, number>(this.workers.map((w) => [w, 0]));
    let next = 0;
    let pending = 0;
    let exhausted = false;
    let failure: { seq: number; error: Error } | undefined;

    return new Promise<ShardResult>((resolve, reject) => {
      const finish = () => {
        for (const w of this.workers) w.removeAllListeners('message').removeAllListeners('error');
        if (failure) reject(failure.error);
        else {
          try {
            resolve(combine(results, ids));
          } catch (e) {
            reject(e);
          }
        }
      };
      const feed = (w: Worker) => {
        while (!failure && !exhausted && (inFlight.get(w) ?? 0) < 2) {
          const item = iterator.next();
          if (item.done) {
            exhausted = true;
            break;
          }
          const task: ShardTask = { seq: next++, shard: item.value.id, bytes: item.value.bytes };
          ids[task.seq] = task.shard;
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
          if ('error' in reply) {
            // The first failing shard in shard order wins, whatever the scheduling.
            if (!failure || reply.seq < failure.seq) failure = { seq: reply.seq, error: revive(reply.error) };
          } else {
            results[reply.seq] = { findings: reply.findings, grantTypes: reply.grantTypes };
          }
          feed(w);
        });
        w.on('error', (e: Error) => {
          failure ??= { seq: -1, error: new PolicyEvaluationError(`evaluation worker failed: ${e.message}`, 'worker', e) };
          reject(failure.error);
        });
      }
      try {
        for (const w of this.workers) feed(w);
      } catch (e) {
        reject(e);
      }
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
