/**
 * The opa-wasm wrapper: compiles the module once, evaluates inputs given as JSON bytes, and turns
 * the SDK's thrown strings into typed errors with the shard they concern.
 */
import { loadPolicy, type LoadedPolicy } from '@open-policy-agent/opa-wasm';
import { PolicyBundleError, PolicyEvaluationError } from './errors.js';

export const ENTRYPOINT = 'vaultproof/main/findings';

/** A finding as the Rego rules emit it (before the catalog join). */
export interface RawFinding {
  package: string;
  status: string;
  resource: { provider: string; vault: string; type: string; id: string; path: string };
  metric: { name: string; value: unknown; op: string; threshold: unknown };
  message: string;
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

  /** Evaluates one shard given as JSON bytes; `shard` names it in errors. */
  evaluate(input: ArrayBuffer, shard: string): RawFinding[] {
    let rs: unknown;
    try {
      rs = this.policy.evaluate(input, ENTRYPOINT);
    } catch (e) {
      throw new PolicyEvaluationError(`policy evaluation failed for ${shard}: ${describe(e)}`, shard, e);
    }
    if (!Array.isArray(rs) || rs.length === 0) return [];
    const result = (rs[0] as { result?: unknown }).result;
    if (!Array.isArray(result)) {
      throw new PolicyEvaluationError(`policy returned ${typeof result} instead of a findings set for ${shard}`, shard);
    }
    return result as RawFinding[];
  }
}

export function toArrayBuffer(json: string): ArrayBuffer {
  const bytes = new TextEncoder().encode(json);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function describe(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
