/**
 * The effective policy configuration (data.config): the standard's defaults from the bundle with
 * the user's overrides. Thresholds merge deeply (a scalar replaces, an object merges); user
 * classification rules come before the defaults (first match wins) unless they replace them.
 */
import { recordDeviations, type RecordedDeviation } from '../config/deviations.js';
import type { ConfigPolicyOverrides } from '../config/types.js';
import type { EngineConfigData, ReviewPolicyData } from './bundle.js';
import { regoContentTypeGlob, regoNameGlob, regoPathGlob } from '../util/glob-rego.js';

/** What the engine takes from the config (config/load.ts builds the config's part), plus the review's inputs. */
export interface PolicyOverrides extends ConfigPolicyOverrides {
  /** The access review's roster and attested revocations (data.config.review, read by policies/review). */
  review?: ReviewPolicyData;
}

/** What the findings document records of the standard a scan judged by (`scan.config_sha256`, `scan.thresholds`, `scan.deviations`). */
export interface StandardRecord {
  config_sha256?: string;
  thresholds: Record<string, unknown>;
  deviations: RecordedDeviation[];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isPlainObject(b) && isPlainObject(v) ? deepMerge(b, v) : v;
  }
  return out;
}

export function effectiveConfig(defaults: EngineConfigData, overrides: PolicyOverrides = {}): EngineConfigData {
  const thresholds = overrides.thresholds ? deepMerge(defaults.thresholds, overrides.thresholds) : defaults.thresholds;
  const user = overrides.classification ?? [];
  const classification = overrides.classification_mode === 'replace' ? user : [...user, ...defaults.classification];
  return { thresholds, classification, ...(overrides.review ? { review: overrides.review } : {}) };
}

/** The effective thresholds, the config's digest and its deviations (with the standard's values), as the document records them. */
export function standardRecord(defaults: EngineConfigData, effective: EngineConfigData, overrides: PolicyOverrides = {}): StandardRecord {
  return {
    ...(overrides.config_sha256 !== undefined ? { config_sha256: overrides.config_sha256 } : {}),
    thresholds: effective.thresholds,
    deviations: recordDeviations(overrides.deviations ?? [], defaults.thresholds),
  };
}

/** Compiles a pattern for Rego (the loader has refused any pattern the glob refuses, and the bundle's defaults are tested to compile). */
const compileOne = (p: string, compile: (p: string) => string): string => compile(p);

const compileEach = (v: unknown, compile: (p: string) => string): unknown => (Array.isArray(v) ? v.map((p) => (typeof p === 'string' ? compileOne(p, compile) : p)) : v);

/**
 * data.config as the policies read it: the effective config with every glob compiled for Rego's
 * glob.match (src/util/glob-rego.ts), so a pattern means in the rules what it means everywhere else.
 * The findings document records the patterns as written (`standardRecord` takes the effective config).
 */
export function policyData(config: EngineConfigData): EngineConfigData {
  const t = config.thresholds;
  const thresholds = {
    ...t,
    break_glass_paths: compileEach(t.break_glass_paths, regoPathGlob),
    known_subsystems: compileEach(t.known_subsystems, regoPathGlob),
    admin_policies: compileEach(t.admin_policies, regoNameGlob),
    hsm_required_key_types: compileEach(t.hsm_required_key_types, regoNameGlob),
  };
  const classification = config.classification.map((c) => {
    const m = c.match as Record<string, unknown>;
    if (typeof m.path !== 'string' && typeof m.content_type !== 'string') return c;
    return {
      ...c,
      match: {
        ...m,
        ...(typeof m.path === 'string' ? { path: compileOne(m.path, regoPathGlob) } : {}),
        ...(typeof m.content_type === 'string' ? { content_type: compileOne(m.content_type, regoContentTypeGlob) } : {}),
      },
    };
  });
  return { ...config, thresholds, classification };
}
