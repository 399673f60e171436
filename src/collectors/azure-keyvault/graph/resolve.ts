/**
 * Resolves every principal that holds a grant through Microsoft Graph, in `$batch` rounds:
 * 1. `GET /directoryObjects/{id}`: user, group or service principal (display name);
 * 2. service principals: `GET /servicePrincipals/{id}` (type, app id, alternativeNames, tags, own credentials);
 * 3. applications: `GET /applications(appId='…')` (keyCredentials, passwordCredentials) and its
 *    `/federatedIdentityCredentials`;
 * 4. groups: `GET /groups/{id}/transitiveMembers` (paged): every member, nested groups included,
 *    holds the group's grants, so it becomes a principal (resolved like the others) whose
 *    `member_of` names the group (transitive membership, seen from the group's side).
 * A read Graph refuses (403) or that fails leaves the principal's methods unknown (its findings
 * error) and records an incomplete scope `graph:principal/<id>`; a group whose members could not be
 * read records `graph:members/<id>` (its members' access is unknown: every Azure principal's access
 * findings are then unjudged). A principal Graph does not know (deleted) is tagged, not a gap.
 */
import type { CollectionScope, Principal } from '../../../snapshot/types.js';
import { describeFailure } from '../failures.js';
import { HttpFailure } from '../resilience.js';
import type { GraphAnswer, GraphClient } from './client.js';
import {
  fromGroup,
  fromServicePrincipal,
  fromUser,
  memberPrincipal,
  unresolved,
  type GraphApplication,
  type GraphFederatedCredential,
  type GraphServicePrincipal,
} from './transform.js';

export const GRAPH_NEEDS = {
  objects: 'Microsoft Graph Application.Read.All (service principals, applications) and Directory.Read.All or User.Read.All/GroupMember.Read.All (users, groups)',
  applications: 'Microsoft Graph Application.Read.All',
  members: 'Microsoft Graph GroupMember.Read.All',
} as const;

const SP_SELECT = 'id,appId,displayName,servicePrincipalType,alternativeNames,tags,keyCredentials,passwordCredentials';
const APP_SELECT = 'id,appId,displayName,tags,keyCredentials,passwordCredentials';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ResolveOptions {
  /** Collection time, epoch seconds (credentials expired by then give no method). */
  now: number;
  /** Graph string tag carrying a principal's subsystem (`<tag>:<value>`), like vaults' subsystem tag. */
  subsystemTag: string;
  /** Groups' members read at once. */
  concurrency: number;
}

export interface ResolveResult {
  principals: Record<string, Principal>;
  scopes: CollectionScope[];
}

function answerFailure(a: GraphAnswer, path: string): HttpFailure {
  const msg = (a.body?.error as { message?: unknown } | undefined)?.message;
  return new HttpFailure(a.status, 'GET', path.split('?')[0] as string, a.code, typeof msg === 'string' ? msg.slice(0, 200) : undefined);
}

function reasonOf(a: GraphAnswer, path: string, needs: string): string {
  if (a.status === 0) return `${path.split('?')[0]}: no answer in the $batch response`;
  return `${path.split('?')[0]}: ${describeFailure(answerFailure(a, path), needs)}`;
}

const odataType = (o: Record<string, unknown> | null): string => String(o?.['@odata.type'] ?? '').replace(/^#microsoft\.graph\./, '').toLowerCase();

export async function resolvePrincipals(client: GraphClient, input: Record<string, Principal>, opts: ResolveOptions): Promise<ResolveResult> {
  const principals: Record<string, Principal> = { ...input };
  const problems = new Map<string, string[]>();
  const memberProblems = new Map<string, string>();
  const problem = (id: string, why: string) => problems.set(id, [...(problems.get(id) ?? []), why]);
  const done = new Set<string>();
  const groups: string[] = [];

  const resolve = async (ids: string[]): Promise<void> => {
    const todo = ids.filter((id) => !done.has(id) && principals[id]?.provider === 'azure-keyvault');
    todo.forEach((id) => done.add(id));
    const valid = todo.filter((id) => GUID.test(id));
    for (const id of todo.filter((x) => !GUID.test(x))) principals[id] = unresolved(principals[id] as Principal, 'not-found');
    // 1. What each object is.
    const objPaths = valid.map((id) => `/directoryObjects/${id}`);
    const objects = await client.batch(objPaths);
    const sps: string[] = [];
    valid.forEach((id, i) => {
      const a = objects[i] as GraphAnswer;
      const p = principals[id] as Principal;
      if (a.status === 404) principals[id] = unresolved(p, 'not-found');
      else if (a.status < 200 || a.status >= 300) {
        principals[id] = unresolved(p, 'unreadable');
        problem(id, reasonOf(a, objPaths[i] as string, GRAPH_NEEDS.objects));
      } else {
        const t = odataType(a.body);
        if (t === 'user') principals[id] = fromUser(p, a.body as { displayName?: string });
        else if (t === 'group') {
          principals[id] = fromGroup(p, a.body as { displayName?: string });
          groups.push(id);
        } else if (t === 'serviceprincipal') sps.push(id);
        else principals[id] = unresolved(p, 'not-found'); // a device or another object cannot hold a Key Vault grant
      }
    });
    // 2. Service principals.
    const spPaths = sps.map((id) => `/servicePrincipals/${id}?$select=${SP_SELECT}`);
    const spAnswers = await client.batch(spPaths);
    const facts = new Map<string, GraphServicePrincipal>();
    sps.forEach((id, i) => {
      const a = spAnswers[i] as GraphAnswer;
      if (a.status >= 200 && a.status < 300 && a.body) facts.set(id, a.body as unknown as GraphServicePrincipal);
      else {
        principals[id] = unresolved(principals[id] as Principal, a.status === 404 ? 'not-found' : 'unreadable');
        if (a.status !== 404) problem(id, reasonOf(a, spPaths[i] as string, GRAPH_NEEDS.applications));
      }
    });
    // 3. Their applications and federated credentials.
    const apps = [...facts.entries()].filter(([, sp]) => String(sp.servicePrincipalType ?? '').toLowerCase() === 'application' && typeof sp.appId === 'string' && GUID.test(sp.appId));
    const appPaths = apps.flatMap(([, sp]) => [`/applications(appId='${sp.appId}')?$select=${APP_SELECT}`, `/applications(appId='${sp.appId}')/federatedIdentityCredentials`]);
    const appAnswers = await client.batch(appPaths);
    const appOf = new Map<string, { app: GraphApplication | null; read: boolean }>();
    for (let i = 0; i < apps.length; i++) {
      const [id] = apps[i] as [string, GraphServicePrincipal];
      const app = appAnswers[2 * i] as GraphAnswer;
      const fic = appAnswers[2 * i + 1] as GraphAnswer;
      if (app.status >= 200 && app.status < 300 && app.body && fic.status >= 200 && fic.status < 300) {
        let federated: GraphFederatedCredential[] = [];
        try {
          federated = (await client.rest(fic.body, 'federatedIdentityCredentials')) as GraphFederatedCredential[];
        } catch (err) {
          problem(id, `${appPaths[2 * i + 1]}: ${describeFailure(err, GRAPH_NEEDS.applications)}`);
          appOf.set(id, { app: null, read: false });
          continue;
        }
        appOf.set(id, { app: { ...(app.body as unknown as GraphApplication), federated }, read: true });
      } else {
        // 404: the app registration lives in another tenant (a multi-tenant app): its credentials cannot be seen.
        appOf.set(id, { app: null, read: false });
        for (const [a, k] of [[app, 2 * i], [fic, 2 * i + 1]] as const) if (a.status !== 404 && (a.status < 200 || a.status >= 300)) problem(id, reasonOf(a, appPaths[k] as string, GRAPH_NEEDS.applications));
      }
    }
    for (const [id, sp] of facts) {
      const a = appOf.get(id) ?? { app: null, read: String(sp.servicePrincipalType ?? '').toLowerCase() !== 'application' };
      principals[id] = fromServicePrincipal(principals[id] as Principal, sp, a.app, a.read, opts.now, opts.subsystemTag);
      if (problems.has(id)) principals[id] = { ...(principals[id] as Principal), auth_methods: [...new Set([...(principals[id] as Principal).auth_methods, 'unknown' as const])] };
    }
  };

  await resolve(Object.keys(principals).sort());
  // 4. Members of the groups that hold grants; new members are resolved in turn (nested groups' members come with the transitive list).
  const seenGroups = new Set<string>();
  while (groups.length > 0) {
    const batch = groups.splice(0).filter((g) => !seenGroups.has(g));
    batch.forEach((g) => seenGroups.add(g));
    const fresh: string[] = [];
    for (let at = 0; at < batch.length; at += Math.max(1, opts.concurrency)) {
      await Promise.all(
        batch.slice(at, at + Math.max(1, opts.concurrency)).map(async (gid) => {
          const path = `/groups/${gid}/transitiveMembers?$select=id`;
          let members: unknown[];
          try {
            members = await client.rest(await client.get(path), 'transitiveMembers');
          } catch (err) {
            memberProblems.set(gid, `${path.split('?')[0]}: ${describeFailure(err, GRAPH_NEEDS.members)}`);
            return;
          }
          for (const m of members as Array<Record<string, unknown>>) {
            const mid = String(m.id ?? '').toLowerCase();
            const t = odataType(m);
            if (!mid || (t !== '' && t !== 'user' && t !== 'group' && t !== 'serviceprincipal')) continue; // devices, contacts: no Key Vault access
            if (!principals[mid]) {
              principals[mid] = memberPrincipal(mid);
              fresh.push(mid);
            }
            const p = principals[mid] as Principal;
            if (!p.member_of.includes(gid)) principals[mid] = { ...p, member_of: [...p.member_of, gid].sort() };
          }
        }),
      );
    }
    await resolve(fresh.sort());
  }

  const scopes: CollectionScope[] = [];
  for (const [id, reasons] of [...problems].sort(([a], [b]) => a.localeCompare(b))) {
    scopes.push({ provider: 'azure-keyvault', scope: `graph:principal/${id}`, status: 'incomplete', reason: [...new Set(reasons)].join('; ') });
  }
  for (const [gid, reason] of [...memberProblems].sort(([a], [b]) => a.localeCompare(b))) {
    scopes.push({ provider: 'azure-keyvault', scope: `graph:members/${gid}`, status: 'incomplete', reason });
  }
  if (scopes.length === 0) scopes.push({ provider: 'azure-keyvault', scope: 'graph:principals', status: 'complete' });
  return { principals, scopes };
}
