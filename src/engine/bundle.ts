/**
 * The compiled policy bundle (policies/dist): policy.wasm, the rule catalog and the default
 * thresholds, with the digest recorded in every findings document. The digest is recomputed from
 * the bytes loaded, never read from a file that could disagree with them.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleCatalog, RuleMeta } from '../findings/catalog.js';
import { PolicyBundleError } from './errors.js';
import type { ReviewPolicyData } from '../config/types.js';

export interface PolicyBundle {
  dir: string;
  wasm: Uint8Array;
  catalog: RuleCatalog;
  /** Default configuration (thresholds, classification) as data.config. */
  defaults: EngineConfigData;
  /** sha256 over `<sha256>  <name>\n` lines of policy.wasm, rules.json, defaults.json. */
  sha256: string;
  rulesByPackage: Map<string, RuleMeta>;
  rulesById: Map<string, RuleMeta>;
}

export interface EngineConfigData {
  thresholds: Record<string, unknown>;
  classification: Array<{ type: string; match: Record<string, unknown> }>;
  /** What the access review's rules (policies/review) judge besides the snapshot; absent: no roster, no attested decisions. */
  review?: ReviewPolicyData;
}

/** data.config.review: the roster (VP-REV-004) and last month's attested revocations (VP-REV-005). */
export type { ReviewPolicyData } from '../config/types.js';

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** policies/dist of this package, from src/engine or dist/engine alike. */
export function defaultBundleDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'policies', 'dist');
}

export function loadBundle(dir: string = defaultBundleDir()): PolicyBundle {
  const files = ['policy.wasm', 'rules.json', 'defaults.json'];
  for (const f of files) {
    if (!existsSync(join(dir, f))) {
      throw new PolicyBundleError(`policy bundle missing: ${join(dir, f)} not found (run \`npm run build:policies\`)`);
    }
  }
  const wasm = readFileSync(join(dir, 'policy.wasm'));
  const rulesText = readFileSync(join(dir, 'rules.json'), 'utf8');
  const defaultsText = readFileSync(join(dir, 'defaults.json'), 'utf8');
  let catalog: RuleCatalog;
  let defaults: EngineConfigData;
  try {
    catalog = JSON.parse(rulesText) as RuleCatalog;
    defaults = JSON.parse(defaultsText) as EngineConfigData;
  } catch (e) {
    throw new PolicyBundleError(`policy bundle in ${dir} is corrupt: ${(e as Error).message}`);
  }
  if (!Array.isArray(catalog.rules) || catalog.rules.length === 0) {
    throw new PolicyBundleError(`policy bundle in ${dir}: rules.json lists no rules`);
  }
  const digestLines = [
    `${sha256(wasm)}  policy.wasm\n`,
    `${sha256(rulesText)}  rules.json\n`,
    `${sha256(defaultsText)}  defaults.json\n`,
  ].join('');
  return {
    dir,
    wasm,
    catalog,
    defaults,
    sha256: sha256(digestLines),
    rulesByPackage: new Map(catalog.rules.map((r) => [r.package, r])),
    rulesById: new Map(catalog.rules.map((r) => [r.id, r])),
  };
}
