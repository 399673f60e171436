/**
 * Evaluation worker (worker_threads): instantiates the policy module compiled once by the main
 * thread, then evaluates shards posted to it as transferred ArrayBuffers and answers with the
 * findings joined with the catalog (fingerprints included), or with the error it met.
 * Runs from compiled JS only (dist/engine/worker.js); see pool.ts for the in-process fallback.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RuleMeta } from '../findings/catalog.js';
import { processShard, type ShardTask, type WorkerInit, type WorkerReply } from './pool-protocol.js';
import { ShardRenderer } from './shard-render.js';
import { InputError } from '../util/input-error.js';
import { CompiledPolicy } from './policy.js';

const init = workerData as WorkerInit;
const port = parentPort;
if (!port) throw new Error('engine/worker.js must run as a worker thread');

const catalog = { rulesByPackage: new Map<string, RuleMeta>(init.rules.map((r) => [r.package, r])) };
const ready = CompiledPolicy.load(init.module, init.data);
const renderer = init.render ? new ShardRenderer(init.render) : undefined;

port.on('message', (task: ShardTask) => {
  ready
    .then((policy) => {
      const result = processShard(policy, catalog, task.shard, task.bytes, renderer);
      // Rendered text goes back by transfer, not copied.
      port.postMessage({ seq: task.seq, ...result } satisfies WorkerReply, result.rendered ? [result.rendered.bytes.buffer as ArrayBuffer] : []);
    })
    .catch((e: unknown) => {
      const err = e as { name?: string; message?: string; shard?: string };
      // Bad input met while rendering (a waiver refused on a finding) stays an input error (exit 2).
      const input = e instanceof InputError ? { input: { file: e.file, path: e.path, detail: e.detail } } : {};
      port.postMessage({ seq: task.seq, error: { name: err.name ?? 'Error', message: err.message ?? String(e), shard: err.shard ?? task.shard, ...input } } satisfies WorkerReply);
    });
});
