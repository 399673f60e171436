/**
 * The rule catalog (`rules.json`, shipped beside `policy.wasm`): extracted at build time from each
 * rule's `# METADATA` block, the one place a rule's text, severity and control live (DESIGN §5).
 */
import type { Severity } from './types.js';

export interface RuleMeta {
  id: string;
  title: string;
  description: string;
  severity: Severity;
  /** Section of the standard or peer reference, e.g. "secrets-management §4". */
  control: string;
  /** Metric name carried by the rule's findings (the standard's name where it has one). */
  metric: string;
  remediation: string;
  references: string[];
  /**
   * The ids of the standard's requirements (policies/standard/requirements.yaml) the rule judges,
   * from METADATA `custom.requirements`; absent in a catalog built before requirement ids existed.
   */
  requirements?: string[];
  /**
   * Family segment of the rule's Rego package (vault_config, rotation, replication, ...), which the
   * CEF, OCSF and SARIF outputs carry; the folder is named by the id's family (scripts/policy-catalog.mjs).
   */
  family: string;
  /** Rego package of the rule. */
  package: string;
  /** Path of the rule file in the repository: `policies/<family folder>/<id>_<package name>.rego`. */
  source_file: string;
  /** First line of the rule's METADATA block in `source_file`. */
  source_line: number;
}

export interface RuleCatalog {
  schema_version: '1';
  /** sha256 of the compiled bundle (policy.wasm + data + catalog), see engine/bundle.ts. */
  rules: RuleMeta[];
}

/** Rule lookup by Rego package: all the engine needs of the catalog to join findings. */
export interface CatalogIndex {
  rulesByPackage: ReadonlyMap<string, RuleMeta>;
}
