/**
 * The audit sinks behind a vault's diagnostic settings, read from ARM (issue 20): a Log Analytics
 * workspace's retention (`properties.retentionInDays`, the workspace default) becomes the destination's
 * retention, and the retention of the table the audit records land in (`AZKVAuditLogs` or
 * `AzureDiagnostics`: `retentionInDays`, `totalRetentionInDays`, the table's own or the default it
 * inherits) its `log_analytics_table`, read rather than assumed (VP-AUD-002); a storage account's public access, network default and the
 * immutability of the `insights-logs-auditevent` container (or the account's version-level
 * immutability) become `storage` (VP-AZ-026, VP-AZ-027). A read that fails leaves the fact null and
 * returns a problem naming the permission; nothing is guessed.
 */
import type { AuditDestination, AuditStorageProtection } from '../../snapshot/types.js';
import type { ArmReader, BlobContainerResource, StorageAccountResource } from './arm.js';
import { describeFailure, NEEDS } from './failures.js';

/** The container Azure Monitor writes Key Vault AuditEvent records to (category and the audit/allLogs groups alike). */
export const AUDIT_CONTAINER = 'insights-logs-auditevent';

const lowerEnum = <T extends string>(value: unknown, allowed: readonly T[]): T | null => {
  const v = typeof value === 'string' ? (value.toLowerCase() as T) : null;
  return v !== null && allowed.includes(v) ? v : null;
};

function policyState(state: unknown): 'locked' | 'unlocked' | null {
  if (typeof state !== 'string') return null;
  if (state.toLowerCase() === 'locked') return 'locked';
  if (state.toLowerCase() === 'unlocked') return 'unlocked';
  return null;
}

/**
 * Immutability of the audit records: a Locked policy (container time-based, or account-level
 * version immutability) is locked; an Unlocked one is unlocked (it can still be deleted); neither is
 * none. A container that does not exist yet holds nothing: the account's setting alone decides.
 */
export function immutabilityOf(account: StorageAccountResource, container: BlobContainerResource | null): AuditStorageProtection['immutability'] {
  const states: Array<'locked' | 'unlocked'> = [];
  const accountLevel = account.properties?.immutableStorageWithVersioning;
  if (accountLevel?.enabled === true) states.push(policyState(accountLevel.immutabilityPolicy?.state) ?? 'unlocked');
  const c = container?.properties;
  if (c?.hasImmutabilityPolicy === true || c?.immutabilityPolicy?.properties?.state) {
    states.push(policyState(c?.immutabilityPolicy?.properties?.state) ?? 'unlocked');
  }
  if (states.includes('locked')) return 'locked';
  if (states.includes('unlocked')) return 'unlocked';
  return 'none';
}

export function storageProtection(account: StorageAccountResource, immutability: AuditStorageProtection['immutability']): AuditStorageProtection {
  const p = account.properties ?? {};
  return {
    allow_blob_public_access: typeof p.allowBlobPublicAccess === 'boolean' ? p.allowBlobPublicAccess : null,
    public_network_access: lowerEnum(p.publicNetworkAccess, ['enabled', 'disabled'] as const),
    network_default_action: lowerEnum(p.networkAcls?.defaultAction, ['allow', 'deny'] as const),
    immutability,
  };
}

async function readStorage(d: AuditDestination & { target: string }, arm: ArmReader): Promise<string[]> {
  let account: StorageAccountResource | null;
  try {
    account = await arm.storageAccount(d.target);
  } catch (err) {
    d.storage = null;
    return [`audit storage account ${d.target.split('/').pop()}: ${describeFailure(err, NEEDS.storageAccounts)}`];
  }
  if (!account) {
    d.storage = null;
    return [`audit storage account ${d.target.split('/').pop()}: not found`];
  }
  try {
    d.storage = storageProtection(account, immutabilityOf(account, await arm.blobContainer(d.target, AUDIT_CONTAINER)));
    return [];
  } catch (err) {
    d.storage = storageProtection(account, null);
    return [`audit container ${AUDIT_CONTAINER} of ${d.target.split('/').pop()}: ${describeFailure(err, NEEDS.blobContainers)}`];
  }
}

const retentionDays = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null);

/**
 * The retention of the table the audit records land in (`GET {workspace}/tables/{table}`): a table's
 * own retention overrides the workspace default, and its total retention (interactive plus long-term)
 * is how long the records are kept. The response carries the effective values either way.
 */
async function readTable(d: AuditDestination & { target: string }, arm: ArmReader): Promise<string[]> {
  const table = d.log_analytics_table;
  if (!table) return [];
  const where = `audit workspace ${d.target.split('/').pop()} table ${table.name}`;
  try {
    const t = await arm.workspaceTable(d.target, table.name);
    if (!t) return [`${where}: not found`];
    table.retention_days = retentionDays(t.properties?.retentionInDays);
    table.total_retention_days = retentionDays(t.properties?.totalRetentionInDays);
    return table.total_retention_days === null ? [`${where}: the response has no properties.totalRetentionInDays`] : [];
  } catch (err) {
    return [`${where}: ${describeFailure(err, NEEDS.workspaceTables)}`];
  }
}

async function readWorkspace(d: AuditDestination & { target: string }, arm: ArmReader): Promise<string[]> {
  const [workspace, table] = await Promise.all([readWorkspaceRetention(d, arm), readTable(d, arm)]);
  return [...workspace, ...table];
}

async function readWorkspaceRetention(d: AuditDestination & { target: string }, arm: ArmReader): Promise<string[]> {
  try {
    const ws = await arm.workspace(d.target);
    const days = ws?.properties?.retentionInDays;
    if (!ws) return [`audit workspace ${d.target.split('/').pop()}: not found`];
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 0) return [`audit workspace ${d.target.split('/').pop()}: the response has no properties.retentionInDays`];
    d.retention_days = days;
    return [];
  } catch (err) {
    return [`audit workspace ${d.target.split('/').pop()}: ${describeFailure(err, NEEDS.workspaces)}`];
  }
}

/** Reads the workspace and storage sinks of the destinations in place; returns the problems (empty when all were read). */
export async function readAuditSinks(destinations: AuditDestination[], arm: ArmReader): Promise<string[]> {
  const problems = await Promise.all(
    destinations.map((d) => {
      if (!d.target) return Promise.resolve([]);
      const sink = d as AuditDestination & { target: string };
      if (d.type === 'storage') return readStorage(sink, arm);
      if (d.type === 'log-analytics') return readWorkspace(sink, arm);
      return Promise.resolve([]);
    }),
  );
  return [...new Set(problems.flat())].sort();
}
