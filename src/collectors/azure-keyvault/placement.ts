/**
 * Pure decisions about which vaults to collect and what they are: name/tag filters, the role
 * (primary/secondary), subsystem and region overrides, and primary→fallback pairs from explicit
 * config pairs or a tag on the fallback vault naming its primary.
 */
import type { ReplicationPair } from '../../snapshot/types.js';
import { globRegExp } from '../../util/glob.js';
import type { AzureConfig } from './config.js';
import type { VaultPlacement } from './transform-vault.js';

export const DEFAULT_MAPPING = {
  role_tag: 'vaultproof-role',
  subsystem_tag: 'vaultproof-subsystem',
  path_tag: 'path',
  fallback_tag: 'vaultproof-fallback-of',
} as const;

export interface NamedVault {
  id: string;
  name: string;
  tags: Record<string, string>;
}

/** Vault names are compared as Azure compares them: case-insensitively (src/util/glob.ts). */
function glob(pattern: string): RegExp {
  return globRegExp(pattern, { nocase: true });
}

/** Keeps vaults whose name matches one of the globs (if any) and that carry every configured tag. */
export function passesFilters(v: { name: string; tags: Record<string, string> }, filters: AzureConfig['filters']): boolean {
  const names = filters?.names ?? [];
  if (names.length > 0 && !names.some((n) => glob(n).test(v.name))) return false;
  for (const [k, want] of Object.entries(filters?.tags ?? {})) {
    const have = Object.entries(v.tags).find(([tk]) => tk.toLowerCase() === k.toLowerCase())?.[1];
    if (have !== want) return false;
  }
  return true;
}

export interface PairPlan {
  pairs: Array<{ primary: string; secondary: string }>;
  /** Pairs naming a vault that was not collected. */
  unresolved: Array<{ primary: string; secondary: string; missing: string }>;
}

/** Pairs by vault name (case-insensitive): explicit config pairs, then fallback tags. Deduplicated. */
export function planPairs(vaults: NamedVault[], cfg: AzureConfig): PairPlan {
  const fallbackTag = cfg.mapping?.fallback_tag ?? DEFAULT_MAPPING.fallback_tag;
  const byName = new Map(vaults.map((v) => [v.name.toLowerCase(), v]));
  const wanted: Array<{ primary: string; secondary: string }> = [...(cfg.mapping?.pairs ?? [])];
  for (const v of vaults) {
    const primary = v.tags[fallbackTag];
    if (primary) wanted.push({ primary, secondary: v.name });
  }
  const seen = new Set<string>();
  const plan: PairPlan = { pairs: [], unresolved: [] };
  for (const p of wanted) {
    const key = `${p.primary.toLowerCase()}->${p.secondary.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const missing = !byName.has(p.primary.toLowerCase()) ? p.primary : !byName.has(p.secondary.toLowerCase()) ? p.secondary : null;
    if (missing) plan.unresolved.push({ ...p, missing });
    else plan.pairs.push({ primary: p.primary.toLowerCase(), secondary: p.secondary.toLowerCase() });
  }
  return plan;
}

export function placementOf(v: NamedVault, cfg: AzureConfig, plan: PairPlan): VaultPlacement {
  const m = cfg.mapping ?? {};
  const override = Object.entries(m.vaults ?? {}).find(([n]) => n.toLowerCase() === v.name.toLowerCase())?.[1] ?? {};
  const tagRole = v.tags[m.role_tag ?? DEFAULT_MAPPING.role_tag]?.toLowerCase();
  const isSecondary = plan.pairs.some((p) => p.secondary === v.name.toLowerCase());
  const role = override.role ?? (tagRole === 'primary' || tagRole === 'secondary' ? tagRole : isSecondary ? 'secondary' : 'primary');
  const subsystem = override.subsystem ?? v.tags[m.subsystem_tag ?? DEFAULT_MAPPING.subsystem_tag];
  return { role, ...(subsystem ? { subsystem } : {}), ...(override.region ? { region: override.region } : {}) };
}

export function replicationPairs(plan: PairPlan, vaults: NamedVault[]): Record<string, ReplicationPair> {
  const idOf = new Map(vaults.map((v) => [v.name.toLowerCase(), v.id]));
  const out: Record<string, ReplicationPair> = {};
  for (const p of plan.pairs) {
    const primary = idOf.get(p.primary) as string;
    const secondary = idOf.get(p.secondary) as string;
    const id = `${primary}->${secondary}`;
    out[id] = { id, primary, secondary, method: 'version-compare' };
  }
  return out;
}
