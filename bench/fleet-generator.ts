/**
 * Synthetic fleet generator for the benchmark: N vaults × M objects × V versions with a realistic
 * mix of credential types (certificates, API tokens, signing keys, SIEM secrets, admin keys,
 * scanner tokens, publish credentials), grants, principals, replication pairs and event facts.
 *
 * Deterministic: the same options give the same bytes. Each vault draws from its own PRNG stream
 * (seed × vault index), so vaults are generated and written one at a time and a million-object
 * snapshot never has to exist whole in memory or as one string.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { prng } from '../src/util/prng.js';

export interface FleetOptions {
  vaults: number;
  objectsPerVault: number;
  /** Versions per object (the current one included); the last is current. */
  versions: number;
  seed?: number;
}

export interface FleetStats {
  vaults: number;
  objects: number;
  grants: number;
  principals: number;
  bytes: number;
}

/** The benchmark sizes (total objects → shape). */
export const SIZES: Record<string, FleetOptions> = {
  '1k': { vaults: 10, objectsPerVault: 100, versions: 3 },
  '10k': { vaults: 40, objectsPerVault: 250, versions: 3 },
  '100k': { vaults: 200, objectsPerVault: 500, versions: 3 },
  '1M': { vaults: 1000, objectsPerVault: 1000, versions: 3 },
};

export const NOW = Date.UTC(2026, 10, 29) / 1000; // 2026-11-29T00:00:00Z, as the demo fleet
const DAY = 86400;
const SUB = '6f1c2d3e-0000-4000-8000-0000000be7c4';
const REGIONS = ['westeurope', 'northeurope', 'eastus', 'swedencentral'];
const SUBSYSTEMS = ['control-plane', 'packaging', 'cab', 'connectors/jamf', 'connectors/intune', 'connectors/ansible', 'shared'];
const SCANNERS = ['trivy', 'grype', 'snyk'];


const pad = (n: number, w: number) => String(n).padStart(w, '0');

interface VaultPlan {
  index: number;
  id: string;
  name: string;
  provider: 'azure-keyvault' | 'hashicorp-vault';
  address: string;
  region: string;
  role: 'primary' | 'secondary';
  subsystem: string;
}

/** Every fifth vault is HashiCorp Vault; every tenth vault is the fallback (secondary) of the one before it. */
export function vaultPlan(i: number): VaultPlan {
  const name = `vp${pad(i, 5)}`;
  const hashi = i % 5 === 4;
  const role = i % 10 === 9 ? 'secondary' : 'primary';
  const subsystem = SUBSYSTEMS[i % SUBSYSTEMS.length] as string;
  const region = REGIONS[Math.floor(i / 10) % REGIONS.length] as string;
  if (hashi) {
    return { index: i, id: `hashicorp-vault:${name}`, name, provider: 'hashicorp-vault', address: `https://${name}.vault.internal:8200`, region, role, subsystem };
  }
  const rg = `rg-${subsystem.replace('/', '-')}-${pad(Math.floor(i / 50), 3)}`;
  return {
    index: i,
    id: `/subscriptions/${SUB}/resourcegroups/${rg}/providers/microsoft.keyvault/vaults/kv-${name}`,
    name: `kv-${name}`,
    provider: 'azure-keyvault',
    address: `https://kv-${name}.vault.azure.net/`,
    region,
    role,
    subsystem,
  };
}

interface ObjectPlan {
  kind: 'secret' | 'key' | 'certificate';
  name: string;
  path: string;
  tags: Record<string, string>;
  contentType: string | null;
  interval: number;
  key?: boolean;
}

/** The credential mix: what an object at position j of a vault of `subsystem` is. */
function objectPlan(subsystem: string, j: number, rand: () => number): ObjectPlan {
  const base = subsystem.startsWith('connectors/') ? `project/connectors/${subsystem.slice('connectors/'.length)}` : `project/${subsystem}`;
  const r = rand();
  const n = pad(j, 5);
  if (r < 0.12) return { kind: 'certificate', name: `svc-${n}-cert`, path: `${base}/svc-${n}-cert`, tags: {}, contentType: 'application/x-pem-file', interval: 90 };
  if (r < 0.2) return { kind: 'key', name: `signing-${n}`, path: `${base}/signing/key-${n}`, tags: {}, contentType: null, interval: 90, key: true };
  if (r < 0.3) return { kind: 'secret', name: `siem-${n}`, path: `${base}/siem/collector-${n}`, tags: {}, contentType: null, interval: 30 };
  if (r < 0.35) return { kind: 'secret', name: `admin-${n}`, path: `${base}/admin-${n}`, tags: { 'credential-type': 'admin-key' }, contentType: null, interval: 30 };
  if (r < 0.38) {
    const tool = SCANNERS[j % SCANNERS.length] as string;
    return { kind: 'secret', name: `scanner-${tool}-${n}`, path: `project/scanners/${tool}-${n}`, tags: {}, contentType: null, interval: 60 };
  }
  if (r < 0.41) return { kind: 'secret', name: `publish-${n}`, path: `${base}/publish/store-${n}`, tags: { 'credential-type': 'publish-credential' }, contentType: null, interval: 90 };
  if (r < 0.42) return { kind: 'secret', name: `EmergencyAccess-${n}`, path: `project/cab/EmergencyAccess-${n}`, tags: {}, contentType: null, interval: 30 };
  if (r < 0.45) return { kind: 'secret', name: `legacy-${n}`, path: `legacy-${n}`, tags: {}, contentType: null, interval: 400 };
  return { kind: 'secret', name: `token-${n}`, path: `${base}/token-${n}`, tags: { 'credential-type': 'api-token' }, contentType: null, interval: 60 };
}

function hex(rand: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(rand() * 16).toString(16);
  return s;
}

interface Built {
  vault: Record<string, unknown>;
  rotations: Record<string, Record<string, unknown>>;
  breakGlass: Record<string, Record<string, unknown>>;
  escalations: Record<string, unknown>;
}

/** One vault with its objects and the event facts about them, from its own PRNG stream. */
export function buildVault(plan: VaultPlan, opts: FleetOptions): Built {
  const rand = prng(((opts.seed ?? 20261129) ^ Math.imul(plan.index + 1, 0x9e3779b1)) >>> 0);
  const hashi = plan.provider === 'hashicorp-vault';
  const objects: Record<string, unknown> = {};
  const rotations: Built['rotations'] = {};
  const breakGlass: Built['breakGlass'] = {};
  const escalations: Built['escalations'] = {};
  const windowFrom = NOW - 31 * DAY;
  for (let j = 0; j < opts.objectsPerVault; j++) {
    const p = objectPlan(plan.subsystem, j, rand);
    // 85 % rotated on time, the rest overdue by up to half an interval.
    const currentAge = rand() < 0.85 ? Math.floor(rand() * p.interval * 0.95) : p.interval + 1 + Math.floor(rand() * p.interval * 0.5);
    const versions: Record<string, unknown> = {};
    let current = '';
    let firstCreated = 0;
    let lastCreated = 0;
    for (let k = 0; k < opts.versions; k++) {
      const age = currentAge + (opts.versions - 1 - k) * p.interval;
      const created = NOW - age * DAY - Math.floor(rand() * 3000);
      const vid = hashi ? String(k + 1) : `${hex(rand, 12)}${k}`;
      const expires = hashi || p.kind === 'key' ? null : created + (p.interval + 30) * DAY;
      versions[vid] = hashi
        ? { created, updated: created, expires: null, not_before: null, enabled: true, deleted_at: null, destroyed: false }
        : { created, updated: created, expires, not_before: created, enabled: true };
      if (k === 0) firstCreated = created;
      lastCreated = created;
      current = vid;
    }
    const kind = hashi && p.kind !== 'secret' ? 'secret' : p.kind;
    const path = hashi ? `secret/${p.path}` : p.path;
    const id = hashi ? `${plan.address}/v1/secret/metadata/${p.path}` : `${plan.address}${kind}s/${p.name}`;
    const cur = versions[current] as { expires: number | null; not_before: number | null };
    const o: Record<string, unknown> = {
      id,
      kind,
      name: p.name,
      path,
      enabled: rand() > 0.02,
      created: firstCreated,
      updated: lastCreated,
      expires: cur.expires,
      not_before: cur.not_before,
      tags: p.tags,
      content_type: hashi ? null : p.contentType,
      current_version: current,
      versions,
    };
    if (!hashi && kind === 'key') {
      const hsm = rand() > 0.1;
      o.key = { type: hsm ? 'RSA-HSM' : 'RSA', size: rand() > 0.05 ? 3072 : 1024, curve: null, hsm, exportable: false, operations: ['sign', 'verify'] };
      o.rotation_policy = rand() > 0.15 ? { rotate_after_days: 85, rotate_before_expiry_days: null, notify_before_expiry_days: 30, expiry_days: 365 } : null;
    }
    if (!hashi && kind === 'certificate') {
      o.certificate_policy = { validity_months: rand() > 0.1 ? 12 : 24, auto_renew: rand() > 0.2, renew_before_expiry_days: 30, renew_at_lifetime_percentage: null };
    }
    objects[id] = o;
    // Rotation records for rotations inside the window; one in ten is undocumented.
    if (lastCreated >= windowFrom && rand() > 0.1) {
      rotations[id] = { [current]: { version: current, time: lastCreated + 5, correlation_id: `chg-${plan.index}-${j}`, actor: 'rotation-job' } };
    }
    if (p.name.startsWith('EmergencyAccess')) {
      const used = NOW - Math.floor(rand() * 20) * DAY;
      const approvals = [{ approver: 'alice', approved_at: used - 300 }, ...(rand() > 0.3 ? [{ approver: 'bob', approved_at: used - 200 }] : [])];
      breakGlass[id] = { [`use-${j}`]: { id: `use-${j}`, used_at: used, actor: 'oncall', correlation_id: `inc-${j}`, approvals, rotated_at: rand() > 0.2 ? used + 3600 : null } };
    }
    if (cur.expires !== null && (cur.expires as number) < NOW && rand() > 0.5) {
      escalations[id] = { ticket: `CAB-${plan.index}-${j}`, raised_at: (cur.expires as number) + 3600 };
    }
  }
  const config = hashi
    ? { soft_delete: null, soft_delete_retention_days: null, purge_protection: null, permission_model: 'vault-acl', public_network_access: null, network_default_action: null, private_endpoints: null, sku: 'enterprise' }
    : { soft_delete: true, soft_delete_retention_days: 90, purge_protection: rand() > 0.05, permission_model: 'rbac', public_network_access: rand() > 0.05 ? 'disabled' : 'enabled', network_default_action: 'deny', private_endpoints: 1, sku: 'premium' };
  const audit = hashi
    ? { destinations: [{ id: 'file/', type: 'file', enabled: true, categories: ['audit'], retention_days: null }, { id: 'syslog/', type: 'syslog', enabled: true, categories: ['audit'], retention_days: 730 }] }
    : { destinations: [{ id: `diag-${plan.name}`, type: 'log-analytics', enabled: true, categories: ['audit', 'AuditEvent'], retention_days: rand() > 0.05 ? 730 : 90 }] };
  const vault: Record<string, unknown> = {
    id: plan.id,
    provider: plan.provider,
    name: plan.name,
    address: plan.address,
    region: plan.region,
    role: plan.role,
    subsystem: plan.subsystem.split('/')[0],
    tags: { owner: 'platform-team' },
    config,
    audit,
    objects,
  };
  if (hashi) {
    const kv = { path: 'secret/', type: 'kv', kv_version: 2, max_versions: 10, delete_version_after_seconds: 0, cas_required: false, default_lease_ttl: 0, max_lease_ttl: 0 };
    vault.hashicorp = {
      version: '1.21.2+ent',
      enterprise: true,
      sealed: false,
      mounts: { 'secret/': kv },
      policies: {},
      auth_roles: {},
      key_status: { term: 3, install_time: NOW - Math.floor(rand() * 120) * DAY },
      root_tokens: [],
      pki: {},
    };
  }
  return { vault, rotations, breakGlass, escalations };
}

/** Principals and grants of vault i: the admin group, the vault's own service principal, and (on Azure) a pipeline that signs. */
function accessOf(plan: VaultPlan): { principals: Record<string, unknown>[]; grants: Record<string, unknown>[] } {
  const prov = plan.provider;
  const prefix = prov === 'hashicorp-vault' ? `hashicorp-vault:${plan.name}:approle/` : 'aad:';
  const app = { id: `${prefix}app-${plan.name}`, provider: prov, type: prov === 'hashicorp-vault' ? 'vault-role' : 'service-principal', display_name: `app-${plan.name}`, auth_methods: [prov === 'hashicorp-vault' ? 'approle' : plan.index % 7 === 3 ? 'client-secret' : 'certificate'], member_of: [], subsystem: plan.subsystem };
  const grant = (principal: string, scope: string, capabilities: string[], role: string) => ({
    id: `${plan.id}|${principal}|${scope}|${role}`,
    principal,
    vault: plan.id,
    scope,
    capabilities,
    source: prov === 'hashicorp-vault' ? 'vault-policy' : 'rbac',
    role,
  });
  const base = plan.subsystem.startsWith('connectors/') ? `project/connectors/${plan.subsystem.slice(11)}` : `project/${plan.subsystem}`;
  const scope = prov === 'hashicorp-vault' ? `secret/data/${base}/*` : `${base}/*`;
  const grants = [
    grant('aad:platform-admins', prov === 'hashicorp-vault' ? 'secret/*' : '*', ['list', 'read-metadata', 'read-value', 'write', 'delete', 'manage-access'], 'Key Vault Administrator'),
    grant(app.id, scope, ['list', 'read-metadata', 'read-value'], 'Key Vault Secrets User'),
  ];
  if (prov === 'azure-keyvault') grants.push(grant('aad:sp-packaging-pipeline', `${base}/signing/*`, ['read-metadata', 'sign'], 'Key Vault Crypto User'));
  // One vault in 25 gives its app write access (a least-privilege violation).
  if (plan.index % 25 === 7) grants.push(grant(app.id, scope, ['write'], 'Key Vault Secrets Officer'));
  return { principals: [app], grants };
}

/** A small buffered writer over a file descriptor. */
class Out {
  private chunks: string[] = [];
  private size = 0;
  bytes = 0;
  constructor(private readonly fd: number) {}
  write(s: string): void {
    this.chunks.push(s);
    this.size += s.length;
    if (this.size > 1 << 22) this.flush();
  }
  flush(): void {
    if (this.chunks.length === 0) return;
    const buf = Buffer.from(this.chunks.join(''), 'utf8');
    writeSync(this.fd, buf);
    this.bytes += buf.length;
    this.chunks = [];
    this.size = 0;
  }
}

const entries = (obj: Record<string, unknown>) => Object.entries(obj).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);

/** Writes the fleet as a compact snapshot JSON file, one vault at a time. */
export function writeFleet(file: string, opts: FleetOptions): FleetStats {
  const fd = openSync(file, 'w');
  const out = new Out(fd);
  const rotations: string[] = [];
  const breakGlass: string[] = [];
  const escalations: string[] = [];
  const principals = new Map<string, unknown>();
  const grants: string[] = [];
  const replication: string[] = [];
  const scopes: unknown[] = [{ provider: 'azure-keyvault', scope: `/subscriptions/${SUB}`, status: 'complete' }];
  const audit: string[] = [];
  const reviews: string[] = [];
  principals.set('aad:platform-admins', { id: 'aad:platform-admins', provider: 'azure-keyvault', type: 'group', display_name: 'Platform Admins', auth_methods: ['certificate'], member_of: [], subsystem: 'platform-admin' });
  principals.set('aad:sp-packaging-pipeline', { id: 'aad:sp-packaging-pipeline', provider: 'azure-keyvault', type: 'service-principal', display_name: 'packaging-pipeline', auth_methods: ['federated'], member_of: [], subsystem: 'packaging' });
  out.write(`{"schema":"vaultproof/snapshot/v1","scan_id":"00000000-0000-4000-8000-0000000be7c4","now":${NOW},"regions_in_scope":${JSON.stringify(REGIONS)},"vaults":{`);
  let objects = 0;
  for (let i = 0; i < opts.vaults; i++) {
    const plan = vaultPlan(i);
    const built = buildVault(plan, opts);
    out.write(`${i ? ',' : ''}${JSON.stringify(plan.id)}:${JSON.stringify(built.vault)}`);
    objects += opts.objectsPerVault;
    rotations.push(...entries(built.rotations));
    breakGlass.push(...entries(built.breakGlass));
    escalations.push(...entries(built.escalations));
    const access = accessOf(plan);
    for (const p of access.principals) principals.set((p as { id: string }).id, p);
    grants.push(...access.grants.map((g) => `${JSON.stringify(g.id)}:${JSON.stringify(g)}`));
    scopes.push({ provider: plan.provider, scope: plan.id, status: 'complete' });
    const privileged = 40 + (i % 13);
    audit.push(`${JSON.stringify(plan.id)}:${JSON.stringify({ privileged_operations: privileged, with_correlation_id: i % 17 === 5 ? privileged - 3 : privileged, expected_privileged_operations: null, denied_requests: 0, denied: {} })}`);
    if (i % 20 !== 11) reviews.push(`${JSON.stringify(plan.id)}:${JSON.stringify({ review_id: `AR-${i}`, completed_at: NOW - ((i % 40) + 1) * DAY, reviewers: ['alice', 'bob'] })}`);
    if (plan.role === 'secondary' && i > 0) {
      const primary = vaultPlan(i - 1);
      const pid = `pair:${primary.name}->${plan.name}`;
      const pair = primary.provider === 'hashicorp-vault' || plan.provider === 'hashicorp-vault'
        ? { id: pid, primary: primary.id, secondary: plan.id, method: 'vault-enterprise', writes_permitted_on_secondary: false, status: { state: 'running', connection_state: 'connected', last_heartbeat: NOW - 4, primary_last_wal: 1000 + i, secondary_last_wal: 1000 + i } }
        : { id: pid, primary: primary.id, secondary: plan.id, method: 'version-compare', writes_permitted_on_secondary: false };
      replication.push(`${JSON.stringify(pid)}:${JSON.stringify(pair)}`);
    }
    out.write('');
  }
  const sources = [
    { id: 'audit-logs', kind: 'azure-audit-event', status: 'complete', sections: ['audit'] },
    { id: 'rotation-job', kind: 'rotation-records', status: 'complete', sections: ['rotations', 'escalations'] },
    { id: 'approvals', kind: 'approval-records', status: 'complete', sections: ['break_glass'] },
    { id: 'reviews', kind: 'access-reviews', status: 'complete', sections: ['access_reviews'] },
  ];
  out.write(`},"scopes":${JSON.stringify(scopes)},"identities":[],"principals":{${[...principals].map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`);
  out.write(`,"grants":{${grants.join(',')}},"replication":{${replication.join(',')}}`);
  out.write(`,"events":{"window":{"from":${NOW - 31 * DAY},"to":${NOW}},"sources":${JSON.stringify(sources)}`);
  for (const [name, list] of [['rotations', rotations], ['break_glass', breakGlass], ['audit', audit], ['access_reviews', reviews], ['escalations', escalations]] as const) {
    out.write(`,"${name}":{`);
    for (let k = 0; k < list.length; k++) out.write(k ? `,${list[k]}` : (list[k] as string));
    out.write('}');
  }
  out.write('}}\n');
  out.flush();
  closeSync(fd);
  return { vaults: opts.vaults, objects, grants: grants.length, principals: principals.size, bytes: out.bytes };
}
