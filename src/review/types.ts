/**
 * The access review document (`vaultproof/access-review/v1`): the access matrix of one snapshot, the
 * rulebook's access findings and the review's own findings, the month-over-month diff and the check
 * of last month's attested decisions. Written as `access-review.json`; the HTML and CSV outputs are
 * renderings of it, and next month's review reads it back as its `--previous`.
 */
import type { Finding, FindingsSummary } from '../findings/types.js';
import type { Capability, ObjectKind, PrincipalType, Provider } from '../snapshot/types.js';

export const REVIEW_SCHEMA = 'vaultproof/access-review/v1';

/** The matrix columns: the capabilities reviewers decide on (list + read-metadata and sign + decrypt are one column each). */
export const COLUMNS = ['list-metadata', 'read-value', 'write', 'delete', 'purge', 'sign-decrypt', 'manage-access'] as const;
export type Column = (typeof COLUMNS)[number];

export const COLUMN_OF: Record<Capability, Column> = {
  list: 'list-metadata',
  'read-metadata': 'list-metadata',
  'read-value': 'read-value',
  write: 'write',
  delete: 'delete',
  purge: 'purge',
  sign: 'sign-decrypt',
  decrypt: 'sign-decrypt',
  'manage-access': 'manage-access',
};

export interface ReviewPrincipal {
  id: string;
  name: string;
  type: PrincipalType;
  provider: Provider;
  subsystem: string | null;
  /** Groups the principal is a member of (ids), as the snapshot records them. */
  groups: string[];
  /** For groups: the members the snapshot knows (ids); empty when membership was not collected. */
  members: string[];
  /** For groups: false when the snapshot has no membership, so the group is reviewed as one principal. */
  membership_known: boolean;
  in_roster: boolean | null;
}

/** How a principal reaches a grant. */
export interface Via {
  /** direct: the principal's own grant; group: expanded from a group the snapshot lists it in. */
  kind: 'direct' | 'group';
  /** The group the access comes through (expanded here, or resolved by the collector: Vault group policies). */
  group?: string;
  group_name?: string;
  /** Azure: the scope above the vault the role assignment is made at. */
  inherited_scope?: { level: 'management-group' | 'subscription' | 'resource-group' | 'other'; id: string };
  /** Role definition (Azure), policy (Vault) or "access policy". */
  role: string | null;
  source: 'rbac' | 'access-policy' | 'vault-policy';
  /** Vault: the auth role whose token policies reach this grant. */
  auth_role?: string;
}

/** One reviewable grant: a snapshot grant, the unit reviewers keep or revoke. */
export interface ReviewGrant {
  /** The snapshot grant id (stable month to month for the same assignment or policy rule). */
  id: string;
  principal: string;
  vault: string;
  scope: string;
  /** Path globs inside `scope` a deny or a more specific rule governs instead. */
  except: string[];
  object_kinds: ObjectKind[] | null;
  capabilities: Capability[];
  columns: Column[];
  via: Via;
  /** Objects of the snapshot this grant covers (scope minus except, object kinds). */
  objects: number;
  /** Subsystems of the covered objects. */
  subsystems: string[];
}

/** A matrix row: one principal's access on one scope of one vault (direct or expanded through a group). */
export interface MatrixRow {
  principal: string;
  vault: string;
  scope: string;
  except: string[];
  object_kinds: ObjectKind[] | null;
  subsystem: string | null;
  columns: Column[];
  via: Via;
  grant: string;
  objects: number;
}

export interface ReviewVault {
  id: string;
  name: string;
  provider: Provider;
  permission_model: string | null;
  subsystem: string | null;
}

export type GrantChange = 'added' | 'removed' | 'widened' | 'narrowed' | 'changed';

export interface GrantDiff {
  change: GrantChange;
  principal: string;
  principal_name: string;
  vault: string;
  vault_name: string;
  /** Grant id this month (absent when removed). */
  grant?: string;
  /** Grant id last month (absent when added). */
  previous_grant?: string;
  scope: string;
  previous_scope?: string;
  columns: Column[];
  previous_columns?: Column[];
  detail: string;
}

export interface ReviewDiff {
  previous: { review_id: string; scan_id: string; now: string; sha256: string };
  grants: GrantDiff[];
  principals_new: Array<{ id: string; name: string }>;
  principals_gone: Array<{ id: string; name: string }>;
  counts: Record<GrantChange | 'principals_new' | 'principals_gone', number>;
}

export type Decision = 'keep' | 'revoke';

export interface AttestationDecision {
  grant: string;
  decision: Decision;
  reason?: string;
  reviewer?: string;
}

/** The reviewers' decisions on one review, validated against it (`access-review-attestation.json`). */
export interface Attestation {
  schema: 'vaultproof/access-review-attestation/v1';
  review_id: string;
  /** sha256 of the access-review.json the decisions were made on. */
  review_sha256: string;
  completed_at: string;
  reviewers: string[];
  decisions: AttestationDecision[];
}

export interface AttestationCheck {
  review_id: string;
  review_sha256: string;
  completed_at: string;
  reviewers: string[];
  revoked: number;
  carried_out: number;
  not_carried_out: string[];
  kept: number;
}

export interface ReviewDocument {
  schema: typeof REVIEW_SCHEMA;
  review_id: string;
  tool: { name: 'vaultproof'; version: string };
  scan: { id: string; now: string; complete: boolean; policy_bundle_sha256: string };
  roster: { configured: boolean; size: number };
  activity: { available: boolean; window: { from: string; to: string } | null };
  vaults: ReviewVault[];
  principals: ReviewPrincipal[];
  grants: ReviewGrant[];
  matrix: MatrixRow[];
  findings: Finding[];
  summary: FindingsSummary;
  diff: ReviewDiff | null;
  attestation_check: AttestationCheck | null;
  notes: string[];
}
