/**
 * The effective policy configuration (data.config): the standard's defaults from the bundle with
 * the user's overrides. Thresholds merge deeply (a scalar replaces, an object merges); user
 * classification rules come before the defaults (first match wins) unless they replace them.
 */
import { recordDeviations, type ConfigDeviation, type RecordedDeviation } from '../config/deviations.js';
import type { EngineConfigData, ReviewPolicyData } from './bundle.js';

export interface PolicyOverrides {
  thresholds?: Record<string, unknown>;
  classification?: Array<{ type: string; match: Record<string, unknown> }>;
  classification_mode?: 'prepend' | 'replace';
  /** The access review's roster and attested revocations (data.config.review, read by policies/review). */
  review?: ReviewPolicyData;
  /** sha256 of the config file the overrides come from (recorded, not used by the rules). */
  config_sha256?: string;
  /** The config's approved deviations from the standard, checked by config/deviations.ts (recorded, not used by the rules). */
  deviations?: ConfigDeviation[];
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
