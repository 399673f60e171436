/**
 * Collects one vault: data plane (objects, deleted objects), diagnostic settings and role
 * assignments, each read recorded as a scope that is complete or incomplete with its reason.
 * The vault record is always returned; what could not be read stays null/absent and its scope says so.
 */
import type { AccessPolicyEntry } from '@azure/arm-keyvault';
import type { RoleAssignment, RoleDefinition } from '@azure/arm-authorization';
import type { AuditDestination, CollectionScope, Grant, Principal, Vault, VaultObject } from '../../snapshot/types.js';
import type { ArmReader } from './arm.js';
import { collectDataPlane, type DataPlaneOptions, type DataPlaneResult, type ObjectList } from './dataplane.js';
import { describeFailure, NEEDS } from './failures.js';
import { auditDestinations } from './transform-vault.js';
import { readAuditSinks } from './audit-sinks.js';
import { certificateObject, deletedObjects, keyObject, secretObject, type ObjectNaming } from './transform-objects.js';
import { vaultAccess } from './transform-access.js';

export interface VaultJob {
  vault: Vault;
  /** ARM reader of the vault's subscription; absent in data-plane-only mode. */
  arm?: ArmReader;
  accessPolicies: AccessPolicyEntry[];
  keysOnly: boolean;
}

/** What a vault's collection job shares with every vault: the data-plane settings plus what to collect. */
export interface VaultJobEnv extends Pick<DataPlaneOptions, 'credential' | 'clientOptions' | 'serviceVersion' | 'disableChallengeResourceVerification' | 'fanOut' | 'includeDeleted'> {
  diagnostics: boolean;
  roleAssignments: boolean;
  pathTag: string;
  onObjectsListed: (n: number) => void;
  onObjectDone: () => void;
  onError: () => void;
}

export interface VaultJobResult {
  vault: Vault;
  principals: Record<string, Principal>;
  grants: Record<string, Grant>;
  scopes: CollectionScope[];
}

const MAX_REASON = 600;

function scope(id: string, problems: string[]): CollectionScope {
  if (problems.length === 0) return { provider: 'azure-keyvault', scope: id, status: 'complete' };
  let reason = problems.join('; ');
  if (reason.length > MAX_REASON) reason = `${reason.slice(0, MAX_REASON)}… (${problems.length} problems)`;
  return { provider: 'azure-keyvault', scope: id, status: 'incomplete', reason };
}

function addObjects<T>(target: Record<string, VaultObject>, list: ObjectList<T>, map: (item: T) => VaultObject | null, problems: string[]): void {
  for (const item of list.items) {
    const o = map(item);
    if (o) target[o.id] = o;
    else problems.push('an object without name or versions was skipped');
  }
}

async function readAccess(job: VaultJob, env: VaultJobEnv): Promise<{ assignments: RoleAssignment[] | null; defs: Map<string, RoleDefinition>; problems: string[] }> {
  const defs = new Map<string, RoleDefinition>();
  if (!job.arm || !env.roleAssignments) return { assignments: null, defs, problems: [] };
  let assignments: RoleAssignment[];
  try {
    assignments = await job.arm.roleAssignmentsAtScope(job.vault.id);
  } catch (err) {
    return { assignments: null, defs, problems: [`role assignments: ${describeFailure(err, NEEDS.roleAssignments)}`] };
  }
  const problems: string[] = [];
  const ids = [...new Set(assignments.map((a) => a.roleDefinitionId).filter((x): x is string => !!x))];
  await Promise.all(
    ids.map(async (id) => {
      try {
        defs.set(id.toLowerCase(), await (job.arm as ArmReader).roleDefinition(id));
      } catch (err) {
        problems.push(`role definition ${id.split('/').pop()}: ${describeFailure(err, NEEDS.roleDefinitions)}`);
      }
    }),
  );
  return { assignments, defs, problems: problems.sort() };
}

/** Diagnostic-settings problems, and the sink problems (null when no workspace or storage sink was there to read). */
async function readAudit(job: VaultJob, env: VaultJobEnv): Promise<{ settings: string[]; sinks: string[] | null }> {
  if (!job.arm || !env.diagnostics) return { settings: job.arm ? [] : ['data-plane-only mode: diagnostic settings not read (no ARM access)'], sinks: null };
  let destinations: AuditDestination[];
  try {
    destinations = auditDestinations(await job.arm.diagnosticSettings(job.vault.id));
    job.vault.audit.destinations = destinations;
  } catch (err) {
    job.vault.audit.destinations = null;
    return { settings: [`diagnostic settings: ${describeFailure(err, NEEDS.diagnostics)}`], sinks: null };
  }
  const readable = destinations.some((d) => d.target && (d.type === 'storage' || d.type === 'log-analytics'));
  return { settings: [], sinks: readable ? await readAuditSinks(destinations, job.arm) : null };
}

/**
 * A Managed HSM's symmetric keys (`oct-HSM`): the data plane's JWK carries no size, so it is read from
 * ARM's managedHSMs/keys (issue 20). Null (no call) when the HSM holds no symmetric key; a failed read
 * leaves the sizes null (never assumed) and returns the problem.
 */
async function readHsmKeySizes(v: Vault, arm: ArmReader): Promise<string[] | null> {
  const symmetric = Object.values(v.objects).filter((o) => o.kind === 'key' && o.key && /^oct/i.test(o.key.type) && o.key.size === null);
  if (symmetric.length === 0) return null;
  try {
    const sizes = await arm.managedHsmKeySizes(v.id);
    for (const o of symmetric) (o.key as NonNullable<VaultObject['key']>).size = sizes.get(o.name.toLowerCase()) ?? null;
    const missing = symmetric.filter((o) => o.key?.size === null).length;
    return missing > 0 ? [`${missing} symmetric key(s) without a size in the Managed HSM's ARM key list`] : [];
  } catch (err) {
    return [`Managed HSM key sizes: ${describeFailure(err, NEEDS.hsmKeys)}`];
  }
}

export async function collectVault(job: VaultJob, env: VaultJobEnv): Promise<VaultJobResult> {
  const v = job.vault;
  const naming: ObjectNaming = { vaultId: v.id, pathTag: env.pathTag };
  const [data, auditProblems, access] = await Promise.all([
    collectDataPlane({
      vaultUrl: v.address,
      credential: env.credential,
      clientOptions: env.clientOptions,
      serviceVersion: env.serviceVersion,
      disableChallengeResourceVerification: env.disableChallengeResourceVerification,
      fanOut: env.fanOut,
      includeDeleted: env.includeDeleted,
      keysOnly: job.keysOnly,
      onObjectDone: env.onObjectDone,
      onListed: env.onObjectsListed,
    }),
    readAudit(job, env),
    readAccess(job, env),
  ]);
  const scopes: CollectionScope[] = [];
  const objectScope = (kind: string, list: ObjectList<unknown>, map: (i: never) => VaultObject | null) => {
    const problems = [...list.problems];
    addObjects(v.objects, list as ObjectList<never>, map, problems);
    scopes.push(scope(`${v.id}/${kind}`, problems));
  };
  objectScope('secrets', (data as DataPlaneResult).secrets, (s) => secretObject(s, naming));
  objectScope('keys', data.keys, (k) => keyObject(k, naming));
  objectScope('certificates', data.certificates, (c) => certificateObject(c, naming));
  if (job.keysOnly && job.arm) {
    const problems = await readHsmKeySizes(v, job.arm);
    if (problems) scopes.push(scope(`${v.id}/keySizes`, problems));
  }
  if (data.deleted) {
    const problems = [...data.deleted.secrets.problems, ...data.deleted.keys.problems, ...data.deleted.certificates.problems];
    v.deleted_objects = deletedObjects(
      { secrets: data.deleted.secrets.items, keys: data.deleted.keys.items, certificates: data.deleted.certificates.items },
      naming,
    );
    scopes.push(scope(`${v.id}/deleted`, problems));
  }
  scopes.push(scope(`${v.id}/diagnosticSettings`, auditProblems.settings));
  if (auditProblems.sinks) scopes.push(scope(`${v.id}/auditSinks`, auditProblems.sinks));
  const { principals, grants, unresolved } = vaultAccess(v, job.accessPolicies, access.assignments, access.defs);
  if (job.arm && env.roleAssignments) {
    const accessProblems = [...access.problems, ...(unresolved.length > 0 && access.problems.length === 0 ? [`${unresolved.length} assignments with unreadable role definitions`] : [])];
    scopes.push(scope(`${v.id}/roleAssignments`, accessProblems));
  } else if (!job.arm) {
    scopes.push(scope(`${v.id}/config`, ['data-plane-only mode: vault properties, access policies and role assignments not read (no ARM access)']));
  }
  const failed = scopes.filter((s) => s.status === 'incomplete');
  for (let i = 0; i < failed.length; i++) env.onError();
  scopes.push(scope(v.id, failed.map((s) => `${s.scope.slice(v.id.length + 1)} incomplete`)));
  return { vault: v, principals, grants, scopes };
}
