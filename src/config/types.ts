/**
 * The shape of a loaded vaultproof.yaml (load.ts validates and builds it; the other config modules
 * read it). Its own module so the validators it uses can name it without importing the loader.
 */
import type { ConfigDeviation } from './deviations.js';
import type { ConfigPositions } from './positions.js';
import type { PrincipalRule } from './principals.js';

/** A user classification rule: the credential type objects matching `match` get (data.config.classification). */
export interface ClassificationRule {
  type: string;
  match: Record<string, unknown>;
}

export interface VaultproofConfig {
  version: 1;
  regions_in_scope?: string[];
  thresholds?: Record<string, unknown>;
  classification?: ClassificationRule[];
  classification_mode?: 'prepend' | 'replace';
  /** Waiver file, resolved relative to the config file. */
  waivers?: string;
  collection?: { deadline_seconds?: number };
  azure?: unknown;
  hashicorp?: unknown;
  events?: unknown;
  /** The services that consume secrets and their configuration files (collectors/consumers). */
  consumers?: unknown;
  /** The secret scanners' reports on the code (collectors/secret-scans). */
  secret_scans?: unknown;
  /** The access review block (roster, review settings), validated by src/review. */
  review?: unknown;
  /** Subsystems and auth methods of principals the vaults do not record. */
  principals?: PrincipalRule[];
  /** Approved settings looser than the standard (config/deviations.ts). */
  deviations?: ConfigDeviation[];
  /** Set by loadConfig: the file, the sha256 of its bytes and where its blocks are declared. Not part of the YAML. */
  source?: { file: string; sha256: string; positions?: ConfigPositions };
}

/** What a config overrides of the standard's policy data (config/load.ts `policyOverrides`; the engine's PolicyOverrides extends it). */
export interface ConfigPolicyOverrides {
  thresholds?: Record<string, unknown>;
  classification?: ClassificationRule[];
  classification_mode?: 'prepend' | 'replace';
  /** sha256 of the config file the overrides come from (recorded, not used by the rules). */
  config_sha256?: string;
  /** The config's approved deviations from the standard, checked by config/deviations.ts (recorded, not used by the rules). */
  deviations?: ConfigDeviation[];
}

/** The access review's inputs to the rules (data.config.review): the roster and last month's attested revocations. */
export interface ReviewPolicyData {
  /** Principal ids or display names expected to hold access; absent: the roster is not judged. */
  roster?: string[];
  /** One entry per revoke decision, with the grant as last month's review recorded it. */
  revocations?: Array<{ grant: string; scope: string; vault: string; vault_name: string; principal_name: string; review_id: string; completed_at: string; reason: string }>;
}
