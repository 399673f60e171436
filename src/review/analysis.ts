/**
 * Review-specific findings over the matrix (the rulebook's access rules come from the engine, see
 * rulebook.ts): writes outside a principal's subsystem (VP-REV-001), dormant principals (VP-REV-002),
 * wildcard grants (VP-REV-003) and principals missing from the roster (VP-REV-004). Missing evidence
 * gives `error`, never a pass.
 */
import type { Finding, FindingResource } from '../engine/findings.js';
import type { Principal, Snapshot } from '../snapshot/types.js';
import type { Matrix } from './matrix.js';
import { REVIEW_RULES, reviewFinding } from './rules.js';
import { covers, isWildcardScope, objectSubsystem } from './scope.js';
import type { ReviewGrant } from './types.js';

const WRITE_CAPS = new Set(['write', 'delete', 'purge']);
const DATA_CAPS = new Set(['read-value', 'sign', 'decrypt', 'write', 'delete', 'purge']);
const GROUP_TYPES = new Set(['group', 'vault-group']);
const DAY = 86400;

/** Per-principal activity facts (`events.principal_activity`, filled by the events collector from the audit logs: src/collectors/events/aggregate.ts). */
export interface PrincipalActivity {
  last_seen: number | null;
  operations: number;
}

export interface AnalysisContext {
  snapshot: Snapshot;
  matrix: Matrix;
  adminSubsystems: string[];
  roster?: string[];
}

export function grantResource(snapshot: Snapshot, g: Pick<ReviewGrant, 'id' | 'vault' | 'scope'>): FindingResource {
  const v = snapshot.vaults[g.vault];
  return { provider: v?.provider ?? 'azure-keyvault', vault: v?.name ?? g.vault, type: 'grant', id: g.id, path: g.scope };
}

export function principalResource(p: Pick<Principal, 'id' | 'provider' | 'display_name'>): FindingResource {
  return { provider: p.provider, vault: '', type: 'principal', id: p.id, path: p.display_name };
}

function groupsOf(snapshot: Snapshot, p: Principal): string[] {
  const out: string[] = [];
  const queue = [...p.member_of];
  while (queue.length) {
    const id = queue.shift() as string;
    if (out.includes(id)) continue;
    out.push(id);
    queue.push(...(snapshot.principals[id]?.member_of ?? []));
  }
  return out;
}

function isAdmin(ctx: AnalysisContext, p: Principal): boolean {
  const admin = (s: string | undefined) => s !== undefined && ctx.adminSubsystems.includes(s);
  return admin(p.subsystem) || groupsOf(ctx.snapshot, p).some((g) => admin(ctx.snapshot.principals[g]?.subsystem));
}

/** The subsystem a grant is judged against: the principal's, else that of the group it is inherited from. */
function subsystemFor(ctx: AnalysisContext, p: Principal, g: ReviewGrant): string | undefined {
  return p.subsystem ?? (g.via.group ? ctx.snapshot.principals[g.via.group]?.subsystem : undefined);
}

function outsideSubsystemWrite(ctx: AnalysisContext): Finding[] {
  const rule = REVIEW_RULES.outsideSubsystemWrite;
  const out: Finding[] = [];
  for (const g of ctx.matrix.grants) {
    const writes = g.capabilities.filter((c) => WRITE_CAPS.has(c));
    const p = ctx.snapshot.principals[g.principal];
    if (writes.length === 0 || !p) continue;
    const res = grantResource(ctx.snapshot, g);
    const v = ctx.snapshot.vaults[g.vault];
    const subsystem = subsystemFor(ctx, p, g);
    if (isAdmin(ctx, p)) {
      out.push(reviewFinding(rule, 'pass', res, { value: 0, op: '==', threshold: 0 }, `platform admin '${p.display_name}' may write across subsystems (${writes.join(', ')} on '${g.scope}')`));
      continue;
    }
    if (!subsystem) {
      out.push(reviewFinding(rule, 'error', res, { value: null, op: '==', threshold: 0 }, `'${p.display_name}' holds ${writes.join(', ')} on '${g.scope}' but has no subsystem to check it against`));
      continue;
    }
    const outside = v ? Object.values(v.objects).filter((o) => covers(g, o) && objectSubsystem(v, o) !== subsystem).map((o) => o.path).sort() : [];
    const msg = outside.length === 0
      ? `${subsystem} principal '${p.display_name}' writes only ${subsystem} paths through '${g.scope}'`
      : `${subsystem} principal '${p.display_name}' can ${writes.join(', ')} ${outside.length} object(s) of other subsystems through '${g.scope}': ${outside.slice(0, 5).join(', ')}${outside.length > 5 ? ` and ${outside.length - 5} more` : ''}`;
    out.push(reviewFinding(rule, outside.length === 0 ? 'pass' : 'fail', res, { value: outside.length, op: '==', threshold: 0 }, msg));
  }
  return out;
}

function activitySection(snapshot: Snapshot): Record<string, PrincipalActivity> | null {
  const section = snapshot.events?.principal_activity;
  return section && typeof section === 'object' && !Array.isArray(section) ? (section as Record<string, PrincipalActivity>) : null;
}

/** Principals holding a grant of their own or through a group (groups themselves have no activity of their own). */
function accessHolders(ctx: AnalysisContext): Principal[] {
  const ids = new Set(ctx.matrix.rows.map((r) => r.principal));
  return [...ids].map((id) => ctx.snapshot.principals[id]).filter((p): p is Principal => p !== undefined).sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Vaults whose audit logs fed the event facts, and why the audit evidence is unusable, if it is. */
function auditCoverage(snapshot: Snapshot): { vaults: Set<string>; unusable: string | null } {
  const audit = snapshot.events?.audit;
  const vaults = new Set(audit && typeof audit === 'object' ? Object.keys(audit) : []);
  const incomplete = (snapshot.events?.sources ?? []).filter((s) => s.sections.includes('audit') && s.status !== 'complete').map((s) => s.id).sort();
  return { vaults, unusable: incomplete.length > 0 ? `audit source(s) ${incomplete.join(', ')} could not be read completely` : null };
}

/**
 * A principal is active when the audit logs show a request of it in the window. No request is a
 * failure only when the audit logs of every vault it holds access on were read completely; else
 * its activity cannot be judged (error).
 */
function dormant(ctx: AnalysisContext): Finding[] {
  const rule = REVIEW_RULES.dormantPrincipal;
  const events = ctx.snapshot.events;
  const activity = activitySection(ctx.snapshot);
  const coverage = auditCoverage(ctx.snapshot);
  return accessHolders(ctx)
    .filter((p) => !GROUP_TYPES.has(p.type))
    .map((p) => {
      const res = principalResource(p);
      if (!events || !activity) {
        const why = !events ? 'the snapshot carries no event facts' : 'the event facts carry no principal_activity section';
        return reviewFinding(rule, 'error', res, { value: null, op: '==', threshold: true }, `activity of '${p.display_name}' cannot be checked: ${why}`);
      }
      const a = Object.hasOwn(activity, p.id) ? activity[p.id] : undefined;
      const days = Math.round((events.window.to - events.window.from) / DAY);
      const active = a !== undefined && typeof a.last_seen === 'number' && a.last_seen >= events.window.from && a.operations > 0;
      if (active) {
        const msg = `'${p.display_name}' made ${a.operations} request(s) in the ${days}-day window, last ${new Date((a.last_seen as number) * 1000).toISOString().slice(0, 10)}`;
        return reviewFinding(rule, 'pass', res, { value: true, op: '==', threshold: true }, msg);
      }
      const unread = [...new Set(ctx.matrix.rows.filter((r) => r.principal === p.id).map((r) => r.vault))].filter((v) => !coverage.vaults.has(v)).sort();
      if (coverage.unusable || unread.length > 0) {
        const names = unread.map((v) => ctx.snapshot.vaults[v]?.name ?? v);
        const why = coverage.unusable ?? `the audit log of ${names.join(', ')} was not read`;
        return reviewFinding(rule, 'error', res, { value: null, op: '==', threshold: true }, `'${p.display_name}' made no request seen in the ${days}-day window, but its activity cannot be judged: ${why}`);
      }
      const msg = `'${p.display_name}' holds access but made no request in the ${days}-day window${a?.last_seen ? ` (last seen ${new Date(a.last_seen * 1000).toISOString().slice(0, 10)})` : ''}`;
      return reviewFinding(rule, 'fail', res, { value: false, op: '==', threshold: true }, msg);
    });
}

function wildcard(ctx: AnalysisContext): Finding[] {
  const rule = REVIEW_RULES.wildcardGrant;
  const out: Finding[] = [];
  for (const g of ctx.matrix.grants) {
    const p = ctx.snapshot.principals[g.principal];
    if (!p || !g.capabilities.some((c) => DATA_CAPS.has(c))) continue;
    const res = grantResource(ctx.snapshot, g);
    const wide = isWildcardScope(g.scope);
    if (!wide) {
      out.push(reviewFinding(rule, 'pass', res, { value: false, op: '==', threshold: false }, `'${p.display_name}' reaches data through the scoped path '${g.scope}'`));
    } else if (isAdmin(ctx, p)) {
      out.push(reviewFinding(rule, 'pass', res, { value: false, op: '==', threshold: false }, `platform admin '${p.display_name}' holds the wildcard grant '${g.scope}' by design`));
    } else {
      const how = g.via.source === 'access-policy' ? ' (an access policy always covers the whole vault)' : '';
      out.push(reviewFinding(rule, 'fail', res, { value: true, op: '==', threshold: false }, `'${p.display_name}' reaches ${g.objects} object(s) through the wildcard grant '${g.scope}'${how}`));
    }
  }
  return out;
}

function notInRoster(ctx: AnalysisContext): Finding[] {
  if (!ctx.roster) return [];
  const rule = REVIEW_RULES.notInRoster;
  const roster = new Set(ctx.roster);
  return accessHolders(ctx).map((p) => {
    const ok = roster.has(p.id) || roster.has(p.display_name);
    const msg = ok ? `'${p.display_name}' is on the roster` : `'${p.display_name}' (${p.type}, ${p.id}) holds access but is not on the roster`;
    return reviewFinding(rule, ok ? 'pass' : 'fail', principalResource(p), { value: ok, op: '==', threshold: true }, msg);
  });
}

export function reviewFindings(ctx: AnalysisContext): Finding[] {
  return [...outsideSubsystemWrite(ctx), ...dormant(ctx), ...wildcard(ctx), ...notInRoster(ctx)];
}
