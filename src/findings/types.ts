/**
 * The findings document (DESIGN §3, contract `schema_version: "1"`), validated by
 * `schemas/findings-v1.schema.json`. Pipelines, SIEMs and auditors rely on this shape.
 */
import type { Provider, ScopeProvider } from '../snapshot/types.js';
import type { Severity } from './severity.js';

export const FINDINGS_SCHEMA_VERSION = '1';

export type { Severity } from './severity.js';
export { SEVERITIES } from './severity.js';
export type FindingStatus = 'fail' | 'pass' | 'waived' | 'error';
export type ResourceType = 'vault' | 'secret' | 'key' | 'certificate' | 'mount' | 'policy' | 'principal' | 'grant' | 'event' | 'region' | 'replication' | 'role' | 'token' | 'consumer' | 'repository' | 'leaked-secret';

export interface FindingResource {
  /** The vault technology, or `secret-scans` for a finding about code the secret scanners read (VP-SCN). */
  provider: Provider | 'secret-scans';
  vault: string;
  type: ResourceType;
  id: string;
  path: string;
}

export interface FindingMetric {
  name: string;
  value: number | boolean | string | null;
  op: '<=' | '>=' | '==' | '<' | '>' | '!=';
  threshold: number | boolean | string | null;
}

export interface Waiver {
  rule_id: string;
  resource: string;
  reason: string;
  approved_by: string[];
  expires: string;
  ticket?: string;
}

export interface Finding {
  rule_id: string;
  title: string;
  control: string;
  /** Ids of the standard's requirements the rule judges (policies/standard/requirements.yaml); absent in documents written before they existed. */
  requirements?: string[];
  severity: Severity;
  status: FindingStatus;
  resource: FindingResource;
  metric: FindingMetric;
  message: string;
  remediation: string;
  waiver?: Pick<Waiver, 'reason' | 'approved_by' | 'expires'> & { ticket?: string };
  /** Baseline comparison, when `--baseline` is given. */
  baseline?: 'new' | 'unchanged';
  fingerprint: string;
}

export interface ScanDeviation {
  /** Path under the config's `thresholds:`, dot-separated: `rotation_days.api-token`. */
  threshold: string;
  standard: unknown;
  value: unknown;
  reason: string;
  approved_by: string[];
  ticket?: string;
  expires?: string;
}

export interface ScopeStatus {
  /** `vaultproof` for the engine's own scopes: `rule:<id>`, a rule that could not be evaluated. */
  provider: ScopeProvider | 'vaultproof';
  scope: string;
  status: 'complete' | 'incomplete';
  reason?: string;
}

export interface FindingsSummary {
  evaluated: number;
  fail: number;
  pass: number;
  waived: number;
  error: number;
  by_severity: Record<'critical' | 'high' | 'medium' | 'low', number>;
  /** Fingerprints of baseline failures no longer failing, when `--baseline` is given. */
  fixed?: number;
}

export interface FindingsDocument {
  schema_version: typeof FINDINGS_SCHEMA_VERSION;
  tool: { name: 'vaultproof'; version: string };
  scan: {
    id: string;
    correlation_id: string;
    now: string;
    policy_bundle_sha256: string;
    complete: boolean;
    scopes: ScopeStatus[];
    /** sha256 of the config file (vaultproof.yaml) the scan was evaluated with, when there was one. */
    config_sha256?: string;
    /** The thresholds the rules judged by: the standard's, with the config's overrides. */
    thresholds?: Record<string, unknown>;
    /** Settings looser than the standard the config approved, each with the standard's value, reason and approvers. */
    deviations?: ScanDeviation[];
  };
  summary: FindingsSummary;
  findings: Finding[];
}
