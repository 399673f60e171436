/**
 * The engine's whole-snapshot evaluation (Engine.findings: every vault shard, then the fleet pass),
 * with each shard's result remembered by the digest of its input bytes. A shard's findings are a
 * pure function of its input, so a snapshot mutated inside one vault re-evaluates that vault and
 * the fleet pass only, while the comparison still covers the full finding set. Checked against
 * Engine.findings by the property tests before they use it.
 */
import { createHash } from 'node:crypto';
import type { PolicyBundle } from '../../src/engine/bundle.js';
import { effectiveConfig } from '../../src/engine/config-data.js';
import type { Finding } from '../../src/findings/types.js';
import { CompiledPolicy, type GrantTypes } from '../../src/engine/policy.js';
import { evaluateShard } from '../../src/engine/pool-protocol.js';
import { fleetInput, mergeGrantTypes, vaultShards, type ShardInput } from '../../src/engine/shards.js';
import type { Snapshot } from '../../src/snapshot/types.js';

interface ShardResult {
  findings: Finding[];
  grantTypes: GrantTypes;
}

export class MemoEvaluator {
  private readonly memo = new Map<string, ShardResult>();
  private constructor(
    private readonly bundle: PolicyBundle,
    private readonly policy: CompiledPolicy,
  ) {}

  static async create(bundle: PolicyBundle): Promise<MemoEvaluator> {
    return new MemoEvaluator(bundle, await CompiledPolicy.load(bundle.wasm, { config: effectiveConfig(bundle.defaults) }));
  }

  private shard(s: ShardInput): ShardResult {
    const key = `${s.id}\u0000${createHash('sha1').update(new Uint8Array(s.bytes)).digest('hex')}`;
    let r = this.memo.get(key);
    if (!r) {
      r = evaluateShard(this.policy, this.bundle, s.id, s.bytes);
      if (this.memo.size > 5000) this.memo.clear();
      this.memo.set(key, r);
    }
    return r;
  }

  findings(snapshot: Snapshot): Finding[] {
    const out: Finding[] = [];
    const grantTypes: GrantTypes = {};
    for (const s of vaultShards(snapshot)) {
      const r = this.shard(s);
      out.push(...r.findings);
      mergeGrantTypes(grantTypes, r.grantTypes, s.id);
    }
    out.push(...this.shard(fleetInput(snapshot, grantTypes)).findings);
    return out;
  }
}
