/**
 * The review's own rules (ids VP-REV-00x, documented in src/review/README.md): their text lives here,
 * once, and is joined to every finding they emit, like the rulebook's catalog does for Rego rules.
 */
import { fingerprint } from '../engine/findings-document.js';
import type { Finding, FindingMetric, FindingResource, FindingStatus, Severity } from '../engine/findings.js';

export interface ReviewRule {
  id: string;
  title: string;
  severity: Severity;
  control: string;
  metric: string;
  remediation: string;
}

export const REVIEW_RULES = {
  outsideSubsystemWrite: {
    id: 'VP-REV-001',
    title: 'No principal can write to paths outside its own subsystem',
    severity: 'high',
    control: 'secrets-management §1.4, §3',
    metric: 'OutsideSubsystemWrite',
    remediation: 'Narrow the grant to the principal\'s own subsystem path, or have the platform admins\' rotation automation perform the write.',
  },
  dormantPrincipal: {
    id: 'VP-REV-002',
    title: 'Every principal holding access was active in the review window',
    severity: 'medium',
    control: 'secrets-management §3 (Validation)',
    metric: 'PrincipalActiveInWindow',
    remediation: 'Confirm with the owner whether the identity is still needed; revoke its grants (and disable the identity) if not.',
  },
  wildcardGrant: {
    id: 'VP-REV-003',
    title: 'Grants that reach credential data are scoped below the subsystem level',
    severity: 'medium',
    control: 'secrets-management §1.4, §3',
    metric: 'WildcardGrant',
    remediation: 'Replace the vault-wide or mount-wide grant with one per subsystem path (Vault policy path `<mount>/data/project/<subsystem>/*`, or an RBAC assignment on a dedicated vault).',
  },
  notInRoster: {
    id: 'VP-REV-004',
    title: 'Only principals on the configured roster hold access',
    severity: 'high',
    control: 'secrets-management §3',
    metric: 'PrincipalInRoster',
    remediation: 'Add the principal to the roster (review.roster in vaultproof.yaml) with its owner\'s approval, or revoke its access.',
  },
  revocationCarriedOut: {
    id: 'VP-REV-005',
    title: 'Revocations decided in last month\'s review were carried out',
    severity: 'high',
    control: 'secrets-management §3 (Validation)',
    metric: 'RevocationCarriedOut',
    remediation: 'Remove the grant now (role assignment, access policy entry or Vault policy rule) and record why it was late in this month\'s attestation.',
  },
} as const satisfies Record<string, ReviewRule>;

export const REVIEW_RULE_LIST: ReviewRule[] = Object.values(REVIEW_RULES);

export function reviewFinding(rule: ReviewRule, status: FindingStatus, resource: FindingResource, metric: Omit<FindingMetric, 'name'>, message: string): Finding {
  return {
    rule_id: rule.id,
    title: rule.title,
    control: rule.control,
    severity: rule.severity,
    status,
    resource,
    metric: { name: rule.metric, ...metric },
    message,
    remediation: rule.remediation,
    fingerprint: fingerprint(rule.id, resource.id),
  };
}
