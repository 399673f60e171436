/**
 * The rulebook's access rules (policies/access: least privilege, separation of duties, path scoping,
 * break-glass, access review, authentication method) evaluated by the engine on the snapshot and
 * filtered to the access family: the review never re-implements a Rego rule.
 */
import type { PolicyBundle } from '../engine/bundle.js';
import { effectiveConfig, type PolicyOverrides } from '../engine/config-data.js';
import { Engine } from '../engine/evaluate.js';
import type { Finding } from '../engine/findings.js';
import type { Snapshot } from '../snapshot/types.js';

export const ACCESS_FAMILY_PREFIX = 'VP-ACC-';

export function isAccessRule(ruleId: string): boolean {
  return ruleId.startsWith(ACCESS_FAMILY_PREFIX);
}

export interface Rulebook {
  bundle: PolicyBundle;
  engine: Engine;
  adminSubsystems: string[];
}

export async function loadRulebook(bundle: PolicyBundle, overrides?: PolicyOverrides): Promise<Rulebook> {
  const config = effectiveConfig(bundle.defaults, overrides);
  const admin = config.thresholds.admin_subsystems;
  return {
    bundle,
    engine: await Engine.create(bundle, overrides),
    adminSubsystems: Array.isArray(admin) ? admin.filter((s): s is string => typeof s === 'string') : [],
  };
}

/** The access family's findings for the snapshot (all statuses: passes are evidence too). */
export function accessFindings(rulebook: Rulebook, snapshot: Snapshot): Finding[] {
  return rulebook.engine.findings(snapshot).filter((f) => isAccessRule(f.rule_id));
}
