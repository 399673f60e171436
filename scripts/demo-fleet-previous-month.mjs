// The demo fleet as it stood a month earlier (fixtures/demo/snapshot-previous.json), derived from the
// current month's snapshot object by scripts/generate-demo-fleet.mjs --previous-month, for the access
// review's month-over-month diff and attestation round trip. Deterministic: no randomness, no clock.
//
// What changed during the month (so October -> November shows every kind of change):
// - October had a subscription-level "Key Vault Secrets User" assignment for the external
//   contractors group (inherited by every RBAC vault), with one member, t.hale, dormant since August.
//   Reviewers revoked it; it is gone in November.
// - Vault: r.ito's entity was a member of ops-legacy and held its policy through the group. The
//   ops-legacy policy then read every KV path but denied secret/data/project/control-plane/* (the
//   collector turns that deny into an `except` on the glob grant). In November r.ito's entity is
//   gone and the deny was dropped from the policy: the group's grant widened, although the
//   reviewers had decided to revoke it.
// - landscape-connector read only its own path (widened to the whole vault with write in November);
//   api-gateway read all of project/control-plane/* (narrowed to its own secrets in November);
//   release-bot could not read publish credentials and store-publisher did not exist yet (both added
//   in November).
const DAY = 86400;

const clone = (x) => JSON.parse(JSON.stringify(x));

function rewindObjects(vault, now) {
  for (const [id, o] of Object.entries(vault.objects)) {
    const kept = Object.entries(o.versions).filter(([, v]) => v.created <= now);
    if (kept.length === 0) {
      delete vault.objects[id];
      continue;
    }
    o.versions = Object.fromEntries(kept.map(([k, v]) => [k, { ...v, ...(v.deleted_at && v.deleted_at > now ? { deleted_at: null } : {}) }]));
    const [curId, cur] = kept.reduce((a, b) => (b[1].created > a[1].created ? b : a));
    o.current_version = curId;
    o.created = Math.min(...kept.map(([, v]) => v.created));
    o.updated = cur.updated;
    o.expires = cur.expires;
    o.not_before = cur.not_before;
  }
}

export function previousMonth(current, { SUB }) {
  const s = clone(current);
  const now = current.now - 31 * DAY;
  s.scan_id = '00000000-0000-4000-8000-00000000de6a';
  s.now = now;
  for (const v of Object.values(s.vaults)) {
    rewindObjects(v, now);
    if (v.hashicorp) {
      const ks = v.hashicorp.key_status;
      if (ks && ks.install_time > now) v.hashicorp.key_status = { term: ks.term - 1, install_time: ks.install_time - 30 * DAY };
      v.hashicorp.pki = Object.fromEntries(Object.entries(v.hashicorp.pki).filter(([, c]) => c.not_before <= now));
    }
  }
  for (const r of Object.values(s.replication)) {
    if (r.status?.last_heartbeat) r.status.last_heartbeat -= 31 * DAY;
    if (r.writes_permitted_on_secondary) r.writes_permitted_on_secondary = false;
  }

  // --- Access as it stood in October -----------------------------------------------------------
  const hv = 'hashicorp-vault:vault-weu';
  const opsLegacy = `${hv}:group:ops-legacy`;
  const vaultIds = Object.keys(s.vaults);
  const byName = (name) => vaultIds.find((id) => s.vaults[id].name === name);
  const grantId = (vault, principal, scope, role) => `${vault}|${principal}|${scope}|${role}`;
  const READ = ['list', 'read-metadata', 'read-value'];
  const put = (g) => (s.grants[g.id] = g);
  const drop = (pred) => { for (const [id, g] of Object.entries(s.grants)) if (pred(g)) delete s.grants[id]; };

  s.principals['aad:grp-contractors'] = { id: 'aad:grp-contractors', provider: 'azure-keyvault', type: 'group', display_name: 'Contractors (external)', auth_methods: ['unknown'], member_of: [] };
  s.principals['aad:user-t.hale'] = { id: 'aad:user-t.hale', provider: 'azure-keyvault', type: 'user', display_name: 't.hale@partner.example', auth_methods: ['password'], member_of: ['aad:grp-contractors'] };
  for (const id of vaultIds) {
    const v = s.vaults[id];
    if (v.provider !== 'azure-keyvault' || v.config.permission_model !== 'rbac') continue;
    put({ id: grantId(id, 'aad:grp-contractors', '*', 'Key Vault Secrets User'), principal: 'aad:grp-contractors', vault: id, scope: '*', capabilities: READ, source: 'rbac', role: 'Key Vault Secrets User', inherited_from: `/subscriptions/${SUB}`, object_kinds: ['secret'] });
  }

  // Vault: the October ops-legacy policy, with a deny under its glob, and r.ito reaching it through the group.
  s.vaults[hv].hashicorp.policies['ops-legacy'] = {
    name: 'ops-legacy',
    rules: [
      { path: 'secret/data/*', capabilities: ['read', 'list'] },
      { path: 'secret/metadata/*', capabilities: ['list'] },
      { path: 'secret/data/project/control-plane/*', capabilities: ['deny'] },
    ],
  };
  const legacyGrant = s.grants[grantId(hv, opsLegacy, 'secret/*', 'ops-legacy')];
  legacyGrant.except = ['secret/project/control-plane/*'];
  const rito = `${hv}:entity:r.ito`;
  s.principals[rito] = { id: rito, provider: 'hashicorp-vault', type: 'vault-entity', display_name: 'r.ito', auth_methods: ['password'], member_of: [opsLegacy], subsystem: 'operations' };
  put({ ...legacyGrant, id: grantId(hv, rito, 'secret/*', 'ops-legacy'), principal: rito, inherited_from: opsLegacy });

  const connectors = byName('kv-connectors-weu');
  drop((g) => g.principal === 'aad:sp-landscape-connector');
  put({ id: grantId(connectors, 'aad:sp-landscape-connector', 'project/connectors/landscape/*', 'Key Vault Secrets User'), principal: 'aad:sp-landscape-connector', vault: connectors, scope: 'project/connectors/landscape/*', capabilities: READ, source: 'rbac', role: 'Key Vault Secrets User' });
  const platform = byName('kv-platform-weu');
  drop((g) => g.principal === 'aad:mi-api-gateway');
  put({ id: grantId(platform, 'aad:mi-api-gateway', 'project/control-plane/*', 'Key Vault Secrets User'), principal: 'aad:mi-api-gateway', vault: platform, scope: 'project/control-plane/*', capabilities: READ, source: 'rbac', role: 'Key Vault Secrets User' });
  drop((g) => g.principal === 'aad:sp-release-bot' && g.scope === 'project/packaging/publish/*');
  drop((g) => g.principal === 'aad:sp-store-publisher');
  delete s.principals['aad:sp-store-publisher'];
  s.grants = Object.fromEntries(Object.entries(s.grants).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

  // --- Event facts for October ------------------------------------------------------------------
  // The secret-scanner reports as they stood a month earlier: the same reports, dated a month back.
  for (const src of Object.values(s.secret_scans?.sources ?? {})) for (const r of Object.values(src.reports)) r.scanned_at -= 31 * DAY;
  const e = s.events;
  e.window = { from: now - 31 * DAY, to: now };
  const rotations = {};
  for (const [oid, byVersion] of Object.entries(e.rotations)) {
    const owner = Object.values(s.vaults).find((v) => v.objects[oid]);
    if (!owner) continue;
    const kept = Object.entries(byVersion).filter(([ver, r]) => r.time <= now && owner.objects[oid].versions[ver]);
    if (kept.length) rotations[oid] = Object.fromEntries(kept);
  }
  e.rotations = rotations;
  e.break_glass = Object.fromEntries(Object.entries(e.break_glass).map(([oid, uses]) => [oid, Object.fromEntries(Object.entries(uses).filter(([, u]) => u.used_at <= now))]).filter(([, uses]) => Object.keys(uses).length > 0));
  e.escalations = Object.fromEntries(Object.entries(e.escalations).filter(([, x]) => x.raised_at <= now));
  for (const r of Object.values(e.access_reviews)) {
    if (r.completed_at <= now) continue;
    r.completed_at -= 30 * DAY;
    r.review_id = r.review_id.replace('2026-11', '2026-10');
  }
  for (const src of e.sources) {
    if (src.kind === 'rotation-records') src.records = Object.values(rotations).reduce((n, r) => n + Object.keys(r).length, 0);
    if (src.kind === 'approval-records') src.records = 1;
    if (src.kind === 'cab-escalations') src.records = Object.keys(e.escalations).length;
  }
  // Per-principal activity from the audit logs (events.principal_activity): every identity holding
  // access made requests in the window except t.hale, last seen in August.
  const activity = {};
  const holders = new Set(Object.values(s.grants).map((g) => g.principal));
  for (const p of Object.values(s.principals)) if (p.member_of.some((g) => holders.has(g))) holders.add(p.id);
  let i = 0;
  for (const id of [...holders].sort()) {
    const p = s.principals[id];
    if (!p || p.type === 'group' || p.type === 'vault-group') continue;
    i += 1;
    activity[id] = id === 'aad:user-t.hale' ? { last_seen: now - 74 * DAY, operations: 0 } : { last_seen: now - ((i * 7) % 26) * 3600 - DAY, operations: 40 + ((i * 131) % 900) };
  }
  e.principal_activity = activity;
  s.scopes = s.scopes.map((x) => ({ ...x }));
  return s;
}
