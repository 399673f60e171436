/**
 * Month-over-month diff of two reviews: grants added, removed, widened, narrowed (or changed both
 * ways), principals new and gone. Grants pair by id (stable for the same role assignment or policy
 * rule); an unpaired grant of last month pairs with an unpaired one of this month when they have the
 * same principal, vault and object kinds and one scope contains the other (a re-scoped assignment).
 */
import { scopeContains } from './scope.js';
import { type GrantChange, type GrantDiff, type ReviewDiff, type ReviewDocument, type ReviewGrant, type ReviewPrincipal } from './types.js';

type Cmp = 'same' | 'wider' | 'narrower' | 'mixed';

function setCmp<T>(prev: readonly T[], cur: readonly T[]): Cmp {
  const sub = prev.every((x) => cur.includes(x));
  const sup = cur.every((x) => prev.includes(x));
  return sub && sup ? 'same' : sub ? 'wider' : sup ? 'narrower' : 'mixed';
}

function scopeCmp(prev: string, cur: string): Cmp {
  if (prev === cur) return 'same';
  if (scopeContains(cur, prev)) return 'wider';
  if (scopeContains(prev, cur)) return 'narrower';
  return 'mixed';
}

function combine(cmps: Cmp[]): GrantChange | null {
  const set = new Set(cmps.filter((c) => c !== 'same'));
  if (set.size === 0) return null;
  if (set.has('mixed') || set.size > 1) return 'changed';
  return set.has('wider') ? 'widened' : 'narrowed';
}

const ALL_KINDS = ['certificate', 'key', 'secret'];

function compare(prev: ReviewGrant, cur: ReviewGrant): { change: GrantChange | null; detail: string } {
  const caps = setCmp(prev.columns, cur.columns);
  const scope = scopeCmp(prev.scope, cur.scope);
  // Fewer exceptions is wider: swap the arguments.
  const except = setCmp(cur.except, prev.except);
  const kinds = setCmp(prev.object_kinds ?? ALL_KINDS, cur.object_kinds ?? ALL_KINDS);
  const parts: string[] = [];
  const gained = cur.columns.filter((c) => !prev.columns.includes(c));
  const lost = prev.columns.filter((c) => !cur.columns.includes(c));
  if (gained.length) parts.push(`gained ${gained.join(', ')}`);
  if (lost.length) parts.push(`lost ${lost.join(', ')}`);
  if (scope !== 'same') parts.push(`scope '${prev.scope}' -> '${cur.scope}'`);
  const exAdded = cur.except.filter((e) => !prev.except.includes(e));
  const exRemoved = prev.except.filter((e) => !cur.except.includes(e));
  if (exRemoved.length) parts.push(`exception(s) removed: ${exRemoved.join(', ')}`);
  if (exAdded.length) parts.push(`exception(s) added: ${exAdded.join(', ')}`);
  if (kinds !== 'same') parts.push(`object kinds ${(prev.object_kinds ?? ['all']).join('+')} -> ${(cur.object_kinds ?? ['all']).join('+')}`);
  return { change: combine([caps, scope, except, kinds]), detail: parts.join('; ') };
}

const pairKey = (g: ReviewGrant) => `${g.principal}\u0000${g.vault}\u0000${(g.object_kinds ?? ['*']).join(',')}`;

export interface DiffInput {
  previous: ReviewDocument;
  previousSha256: string;
  grants: ReviewGrant[];
  principals: ReviewPrincipal[];
  vaultNames: Map<string, string>;
}

export function diffReviews(input: DiffInput): ReviewDiff {
  const { previous } = input;
  const names = new Map<string, string>([...previous.principals.map((p) => [p.id, p.name] as const), ...input.principals.map((p) => [p.id, p.name] as const)]);
  const vaultName = (id: string) => input.vaultNames.get(id) ?? previous.vaults.find((v) => v.id === id)?.name ?? id;
  const prevById = new Map(previous.grants.map((g) => [g.id, g]));
  const curById = new Map(input.grants.map((g) => [g.id, g]));
  const out: GrantDiff[] = [];
  const base = (g: ReviewGrant) => ({ principal: g.principal, principal_name: names.get(g.principal) ?? g.principal, vault: g.vault, vault_name: vaultName(g.vault) });

  const pairs: Array<[ReviewGrant, ReviewGrant]> = [];
  for (const cur of input.grants) {
    const prev = prevById.get(cur.id);
    if (prev) pairs.push([prev, cur]);
  }
  let removed = previous.grants.filter((g) => !curById.has(g.id));
  let added = input.grants.filter((g) => !prevById.has(g.id));
  const related = (a: ReviewGrant, b: ReviewGrant) => pairKey(a) === pairKey(b) && (scopeContains(a.scope, b.scope) || scopeContains(b.scope, a.scope));
  for (const r of [...removed]) {
    const cands = added.filter((a) => related(r, a));
    if (cands.length !== 1) continue;
    const a = cands[0] as ReviewGrant;
    if (removed.filter((x) => related(x, a)).length !== 1) continue;
    pairs.push([r, a]);
    removed = removed.filter((x) => x !== r);
    added = added.filter((x) => x !== a);
  }
  for (const [prev, cur] of pairs) {
    const { change, detail } = compare(prev, cur);
    if (!change) continue;
    out.push({
      change, ...base(cur), grant: cur.id, previous_grant: prev.id,
      scope: cur.scope, previous_scope: prev.scope, columns: cur.columns, previous_columns: prev.columns, detail,
    });
  }
  for (const g of removed) out.push({ change: 'removed', ...base(g), previous_grant: g.id, scope: g.scope, columns: [], previous_columns: g.columns, detail: `${g.columns.join(', ')} on '${g.scope}' removed` });
  for (const g of added) out.push({ change: 'added', ...base(g), grant: g.id, scope: g.scope, columns: g.columns, detail: `${g.columns.join(', ')} on '${g.scope}' added` });
  const order: GrantChange[] = ['added', 'widened', 'changed', 'narrowed', 'removed'];
  out.sort((a, b) => order.indexOf(a.change) - order.indexOf(b.change) || (a.principal < b.principal ? -1 : a.principal > b.principal ? 1 : 0) || ((a.grant ?? a.previous_grant ?? '') < (b.grant ?? b.previous_grant ?? '') ? -1 : 1));

  const prevP = new Set(previous.principals.map((p) => p.id));
  const curP = new Set(input.principals.map((p) => p.id));
  const principals_new = input.principals.filter((p) => !prevP.has(p.id)).map((p) => ({ id: p.id, name: p.name }));
  const principals_gone = previous.principals.filter((p) => !curP.has(p.id)).map((p) => ({ id: p.id, name: p.name }));
  const counts = { added: 0, removed: 0, widened: 0, narrowed: 0, changed: 0, principals_new: principals_new.length, principals_gone: principals_gone.length };
  for (const d of out) counts[d.change]++;
  return {
    previous: { review_id: previous.review_id, scan_id: previous.scan.id, now: previous.scan.now, sha256: input.previousSha256 },
    grants: out,
    principals_new,
    principals_gone,
    counts,
  };
}
