/**
 * Edits that make a valid snapshot awkward without making it invalid (issue 15, property 3):
 * colliding timestamps, repeated path segments, duplicate names (different ids, same name and
 * path), duplicated event records. Each edit picks its targets by index (modulo what exists), so
 * fast-check can generate and shrink them; each works on a snapshot it may modify in place.
 */
import type { Snapshot, Vault, VaultObject } from '../../src/snapshot/types.js';

export type CollidingEdit =
  | { kind: 'duplicate-object'; vault: number; object: number }
  | { kind: 'collide-version-times'; vault: number; object: number }
  | { kind: 'repeat-path-segment'; vault: number; object: number; segment: number }
  | { kind: 'repeat-policy-segment'; vault: number; policy: number; rule: number; segment: number }
  | { kind: 'duplicate-rotation-record'; object: number }
  | { kind: 'collide-rotation-times'; object: number }
  | { kind: 'duplicate-break-glass-use'; object: number }
  | { kind: 'same-second-reviews'; vault: number }
  | { kind: 'duplicate-principal'; principal: number }
  | { kind: 'duplicate-grant'; grant: number }
  | { kind: 'scanners-twice'; vault: number; object: number }
  | { kind: 'duplicate-vault'; vault: number }
  | { kind: 'nested-mount'; vault: number; mount: number };

const pick = <T>(list: readonly T[], i: number): T | undefined => (list.length === 0 ? undefined : list[i % list.length]);
const sortedValues = <T>(rec: Record<string, T> | undefined): T[] =>
  Object.keys(rec ?? {})
    .sort()
    .map((k) => (rec as Record<string, T>)[k] as T);

function vaultAt(s: Snapshot, i: number): Vault | undefined {
  return pick(sortedValues(s.vaults), i);
}

function objectAt(s: Snapshot, vault: number, object: number): VaultObject | undefined {
  const v = vaultAt(s, vault);
  return v ? pick(sortedValues(v.objects), object) : undefined;
}

function withSegmentRepeated(path: string, segment: number): string {
  const parts = path.split('/');
  const i = segment % parts.length;
  parts.splice(i, 0, parts[i] as string);
  return parts.join('/');
}

/** Applies one edit in place. */
export function applyEdit(s: Snapshot, e: CollidingEdit): void {
  switch (e.kind) {
    case 'duplicate-object': {
      // Same kind, name, path and versions under another id (a twin), with its event records.
      const v = vaultAt(s, e.vault);
      const o = objectAt(s, e.vault, e.object);
      if (!v || !o) return;
      const id = `${o.id}-twin`;
      v.objects[id] = { ...structuredClone(o), id };
      for (const section of ['rotations', 'break_glass', 'escalations'] as const) {
        const rec = s.events?.[section] as Record<string, unknown> | undefined;
        if (rec && Object.prototype.hasOwnProperty.call(rec, o.id)) rec[id] = structuredClone(rec[o.id]);
      }
      return;
    }
    case 'collide-version-times': {
      const o = objectAt(s, e.vault, e.object);
      if (!o) return;
      const current = o.versions[o.current_version];
      for (const ver of Object.values(o.versions)) {
        ver.created = current?.created ?? o.created;
        ver.updated = current?.updated ?? o.updated;
      }
      return;
    }
    case 'repeat-path-segment': {
      const o = objectAt(s, e.vault, e.object);
      if (o) o.path = withSegmentRepeated(o.path, e.segment);
      return;
    }
    case 'repeat-policy-segment': {
      const v = vaultAt(s, e.vault);
      const p = pick(sortedValues(v?.hashicorp?.policies), e.policy);
      const r = p ? pick(p.rules, e.rule) : undefined;
      if (r) r.path = withSegmentRepeated(r.path, e.segment);
      return;
    }
    case 'duplicate-rotation-record': {
      const rot = s.events?.rotations;
      const key = pick(Object.keys(rot ?? {}).sort(), e.object);
      if (!rot || key === undefined) return;
      const records = rot[key] as Record<string, { record_id?: string }>;
      const first = pick(Object.keys(records).sort(), 0);
      if (first === undefined) return;
      records[`${first}-again`] = structuredClone(records[first] as object);
      return;
    }
    case 'collide-rotation-times': {
      const rot = s.events?.rotations;
      const key = pick(Object.keys(rot ?? {}).sort(), e.object);
      if (!rot || key === undefined) return;
      const records = Object.values(rot[key] as Record<string, { time: number }>);
      const t = records[0]?.time;
      if (t !== undefined) for (const r of records) r.time = t;
      return;
    }
    case 'duplicate-break-glass-use': {
      const bg = s.events?.break_glass;
      const key = pick(Object.keys(bg ?? {}).sort(), e.object);
      if (!bg || key === undefined) return;
      const uses = bg[key] as Record<string, { id: string; approvals?: Array<{ approver: string; approved_at: number }> }>;
      const first = pick(Object.keys(uses).sort(), 0);
      if (first === undefined) return;
      const use = structuredClone(uses[first]) as { id: string; approvals?: Array<{ approver: string; approved_at: number }> };
      use.id = `${use.id}-again`;
      // The same approval recorded twice, at the same second.
      if (use.approvals && use.approvals.length > 0) use.approvals.push({ ...(use.approvals[0] as { approver: string; approved_at: number }) });
      uses[use.id] = use;
      return;
    }
    case 'same-second-reviews': {
      // A per-vault and an all-vaults review completed at the same second.
      const reviews = s.events?.access_reviews;
      const v = vaultAt(s, e.vault);
      if (!reviews || !v) return;
      const own = reviews[v.id] ?? reviews['*'];
      if (!own) return;
      reviews['*'] = { ...structuredClone(own), review_id: `${own.review_id}-all` };
      reviews[v.id] = structuredClone(own);
      return;
    }
    case 'duplicate-principal': {
      // Another principal with the same display name and the same grants (new ids).
      const p = pick(sortedValues(s.principals), e.principal);
      if (!p) return;
      const id = `${p.id}-twin`;
      s.principals[id] = { ...structuredClone(p), id };
      for (const g of Object.values(s.grants)) {
        if (g.principal !== p.id) continue;
        const gid = `${g.id}|twin`;
        s.grants[gid] = { ...structuredClone(g), id: gid, principal: id };
      }
      return;
    }
    case 'duplicate-grant': {
      const g = pick(sortedValues(s.grants), e.grant);
      if (!g) return;
      const gid = `${g.id}|again`;
      s.grants[gid] = { ...structuredClone(g), id: gid };
      return;
    }
    case 'duplicate-vault': {
      // Another vault of the same name and region (a second cluster or subscription), its objects
      // under their own ids, its own review and audit facts.
      const v = vaultAt(s, e.vault);
      if (!v) return;
      const id = `${v.id}-twin`;
      // Ids derived from the vault's (auth roles, PKI certificates) follow it, as a collector makes them.
      const twin = JSON.parse(JSON.stringify(v).split(JSON.stringify(v.id).slice(1, -1)).join(JSON.stringify(id).slice(1, -1))) as Vault;
      twin.objects = Object.fromEntries(Object.values(twin.objects).map((o) => [`${o.id}#twin`, { ...o, id: `${o.id}#twin` }]));
      s.vaults[id] = twin;
      s.scopes.push({ provider: v.provider, scope: id, status: 'complete' });
      const ev = s.events;
      const audit = ev?.audit?.[v.id];
      if (ev?.audit && audit) ev.audit[id] = structuredClone(audit);
      const review = ev?.access_reviews?.[v.id];
      if (ev?.access_reviews && review) ev.access_reviews[id] = structuredClone(review);
      return;
    }
    case 'nested-mount': {
      // A KV mount inside another's path (`secret/secret/`): the longest mount must win, once.
      const v = vaultAt(s, e.vault);
      const mounts = v?.hashicorp?.mounts;
      const m = pick(sortedValues(mounts), e.mount);
      if (!mounts || !m) return;
      const path = `${m.path}${m.path}`;
      mounts[path] = { ...structuredClone(m), path };
      return;
    }
    case 'scanners-twice': {
      const o = objectAt(s, e.vault, e.object);
      if (o) o.path = o.path.replace(/(^|\/)scanners\//, '$1scanners/scanners/');
      if (o && !o.path.includes('scanners/')) o.path = `project/packaging/scanners/scanners/${o.name}`;
      return;
    }
  }
}
