/**
 * The opa-wasm wrapper: compiles the module once, evaluates inputs given as JSON bytes, and turns
 * the SDK's thrown strings into typed errors with the shard they concern.
 */
import { loadPolicy, type LoadedPolicy } from '@open-policy-agent/opa-wasm';
import { PolicyBundleError, PolicyEvaluationError } from './errors.js';

export const ENTRYPOINT = 'vaultproof/main/result';
/** Per rule package: `vaultproof/entry/<family>/<rule>/findings`, its findings alone (scripts/build-policies.mjs). */
export const RULE_ENTRYPOINT_PREFIX = 'vaultproof/entry/';
const RULE_ENTRYPOINT_SUFFIX = '/findings';
/** The fleet facts alone, for the rule-by-rule evaluation. */
export const FLEET_FACTS_ENTRYPOINT = 'vaultproof/lib/fleet_facts/grant_types';

/** A finding as the Rego rules emit it (before the catalog join), tagged with its rule package. */
export interface RawFinding {
  package: string;
  status: string;
  resource: { provider: string; vault: string; type: string; id: string; path: string };
  metric: { name: string; value: unknown; op: string; threshold: unknown };
  message: string;
}

/**
 * A finding as it leaves WASM: a positional tuple (policies/main.rego, `tuple`), because serialising
 * objects out of WASM cost as much as evaluating the rules. Positions are fixed by `FINDING_TUPLE`.
 */
export type FindingTuple = [string, string, string, string, string, string, string, unknown, string, unknown, string];

/** Tuple positions, the same order as `tuple(f)` in policies/main.rego. */
export const FINDING_TUPLE = { status: 0, provider: 1, vault: 2, type: 3, id: 4, path: 5, metricName: 6, value: 7, op: 8, threshold: 9, message: 10 } as const;
const TUPLE_LENGTH = 11;

/** The findings of one rule package in one evaluation. */
export interface RuleFindings {
  package: string;
  findings: FindingTuple[];
}

/** Grant id -> credential types it can use (policies/lib/fleet_facts.rego), from vault shards. */
export type GrantTypes = Record<string, string[]>;

/** A rule package that could not be evaluated on a shard (a Rego conflict or runtime error). */
export interface RuleFailure {
  package: string;
  reason: string;
}

/** What one evaluation returns (policies/main.rego, `result`). */
export interface Evaluation {
  groups: RuleFindings[];
  /** Facts for the fleet pass; empty outside vault shards. */
  grantTypes: GrantTypes;
  /** Rule packages that failed to evaluate (the others' findings are in `groups`); absent when none did. */
  failures?: RuleFailure[];
}

/** A tuple as the object the rules built (for tests, tools and comparisons). */
export function rawFinding(pkg: string, t: FindingTuple): RawFinding {
  const T = FINDING_TUPLE;
  return {
    package: pkg,
    status: t[T.status],
    resource: { provider: t[T.provider], vault: t[T.vault], type: t[T.type], id: t[T.id], path: t[T.path] },
    metric: { name: t[T.metricName], value: t[T.value], op: t[T.op], threshold: t[T.threshold] },
    message: t[T.message],
  };
}

/** Every finding of an evaluation as objects, package-tagged, in output order. */
export function flattenFindings(groups: readonly RuleFindings[]): RawFinding[] {
  return groups.flatMap((g) => g.findings.map((t) => rawFinding(g.package, t)));
}

/**
 * WASM memory of one policy instance, in 64 KiB pages. Starting large matters: growing a WebAssembly
 * memory page by page during the first big evaluation cost 5× the evaluation itself (measured on a
 * 1,600-object vault). The pages are reserved, not touched: resident memory grows only with what
 * the largest shard really uses. The maximum (4 GiB) is the wasm32 limit.
 */
export const WASM_MEMORY = { initial: 4096, maximum: 65536 };

/** A compiled WebAssembly.Module (the project's TS libs declare no WebAssembly types). */
export interface WasmModule {
  readonly __compiledPolicy?: never;
}
const WasmApi = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => WasmModule } }).WebAssembly;

/** Compiles policy.wasm once; the module is shared by every instance (and can be posted to workers). */
export function compilePolicy(wasm: Uint8Array): WasmModule {
  try {
    return new WasmApi.Module(wasm);
  } catch (e) {
    throw new PolicyBundleError(`policy.wasm could not be loaded: ${describe(e)}`);
  }
}

export class CompiledPolicy {
  private constructor(private readonly policy: LoadedPolicy) {}

  /** Instantiates policy.wasm (bytes, or a module compiled once by `compilePolicy`) with `data`. */
  static async load(wasm: Uint8Array | WasmModule, data: unknown): Promise<CompiledPolicy> {
    let policy: LoadedPolicy;
    try {
      const source = wasm instanceof WasmApi.Module ? wasm : ((wasm as Uint8Array).buffer.slice((wasm as Uint8Array).byteOffset, (wasm as Uint8Array).byteOffset + (wasm as Uint8Array).byteLength) as ArrayBuffer);
      policy = await loadPolicy(source as Parameters<typeof loadPolicy>[0], { ...WASM_MEMORY });
    } catch (e) {
      throw new PolicyBundleError(`policy.wasm could not be loaded: ${describe(e)}`);
    }
    if (!Object.prototype.hasOwnProperty.call(policy.entrypoints, ENTRYPOINT)) {
      throw new PolicyBundleError(`policy.wasm has no entrypoint ${ENTRYPOINT}`);
    }
    try {
      policy.setData(toArrayBuffer(JSON.stringify(data)));
    } catch (e) {
      throw new PolicyBundleError(`policy data could not be loaded: ${describe(e)}`);
    }
    return new CompiledPolicy(policy);
  }

  /**
   * Evaluates one shard given as JSON bytes; `shard` names it in errors. When the single fast
   * entrypoint fails (a Rego conflict or runtime error in some rule), the shard is evaluated again
   * rule package by rule package: the failing packages are reported in `failures`, every other
   * rule's findings are kept (a scan never aborts on valid data).
   */
  evaluate(input: ArrayBuffer, shard: string): Evaluation {
    let rs: unknown;
    try {
      rs = this.policy.evaluate(input, ENTRYPOINT);
    } catch (e) {
      return this.evaluateByRule(input, shard, new PolicyEvaluationError(`policy evaluation failed for ${shard}: ${describe(e)}`, shard, e));
    }
    if (!Array.isArray(rs) || rs.length === 0) return { groups: [], grantTypes: {} };
    return checkResult((rs[0] as { result?: unknown }).result, shard);
  }

  /** The rule packages of the bundle, by entrypoint (sorted). */
  ruleEntrypoints(): string[] {
    return Object.keys(this.policy.entrypoints)
      .filter((n) => n.startsWith(RULE_ENTRYPOINT_PREFIX) && n.endsWith(RULE_ENTRYPOINT_SUFFIX))
      .sort();
  }

  /** `evaluate`'s fallback: every rule package on its own; rethrows `first` when no package fails on its own. */
  private evaluateByRule(input: ArrayBuffer, shard: string, first: PolicyEvaluationError): Evaluation {
    const entrypoints = this.ruleEntrypoints();
    if (entrypoints.length === 0 || !Object.prototype.hasOwnProperty.call(this.policy.entrypoints, FLEET_FACTS_ENTRYPOINT)) throw first;
    let grantTypes: unknown;
    try {
      grantTypes = resultOf(this.policy.evaluate(input, FLEET_FACTS_ENTRYPOINT)) ?? {};
    } catch (e) {
      throw new PolicyEvaluationError(`policy evaluation failed for ${shard}: the fleet facts could not be evaluated: ${describe(e)}`, shard, e);
    }
    const groups: RuleFindings[] = [];
    const failures: RuleFailure[] = [];
    for (const name of entrypoints) {
      const pkg = `vaultproof.rules.${name.slice(RULE_ENTRYPOINT_PREFIX.length, -RULE_ENTRYPOINT_SUFFIX.length).replaceAll('/', '.')}`;
      try {
        groups.push({ package: pkg, findings: (resultOf(this.policy.evaluate(input, name)) ?? []) as FindingTuple[] });
      } catch (e) {
        failures.push({ package: pkg, reason: describe(e) });
      }
    }
    // The whole failed but no rule on its own: not a rule's defect (the entrypoint's own), so no findings to trust.
    if (failures.length === 0) throw first;
    const checked = checkResult({ findings: groups, grant_types: grantTypes }, shard);
    return { ...checked, failures };
  }
}

/** The value of an opa-wasm result set's first result. */
function resultOf(rs: unknown): unknown {
  return Array.isArray(rs) && rs.length > 0 ? (rs[0] as { result?: unknown }).result : undefined;
}

/** The entrypoint's value, checked: `{findings: [group], grant_types: {id: [type]}}`. */
export function checkResult(result: unknown, shard: string): Evaluation {
  const r = result as { findings?: unknown; grant_types?: unknown } | null;
  if (typeof r !== 'object' || r === null) throw new PolicyEvaluationError(`policy returned ${typeof result} instead of a result object for ${shard}`, shard);
  const gt = r.grant_types;
  if (typeof gt !== 'object' || gt === null || Array.isArray(gt) || !Object.values(gt).every((v) => Array.isArray(v) && v.every((t) => typeof t === 'string'))) {
    throw new PolicyEvaluationError(`policy returned malformed grant_types for ${shard}`, shard);
  }
  return { groups: checkGroups(r.findings, shard), grantTypes: gt as GrantTypes };
}

/** The entrypoint's result must be groups of tuples; anything else is a policy defect, named. */
export function checkGroups(result: unknown, shard: string): RuleFindings[] {
  const bad = (what: string) => new PolicyEvaluationError(`policy returned ${what} instead of findings grouped by rule package for ${shard}`, shard);
  if (!Array.isArray(result)) throw bad(typeof result);
  for (const g of result as unknown[]) {
    const group = g as Partial<RuleFindings> | null;
    if (typeof group !== 'object' || group === null || typeof group.package !== 'string' || !Array.isArray(group.findings)) throw bad('a malformed group');
    for (const t of group.findings) if (!Array.isArray(t) || t.length !== TUPLE_LENGTH) throw bad(`a malformed finding in ${group.package}`);
  }
  return result as RuleFindings[];
}

export function toArrayBuffer(json: string): ArrayBuffer {
  const bytes = new TextEncoder().encode(json);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function describe(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
