#!/usr/bin/env node
// Generates the embedded demo fleet (fixtures/demo/snapshot.json): Azure Key Vaults and a
// HashiCorp Vault Enterprise cluster across two regions, a few hundred objects, mostly compliant,
// with deliberate violations so that every rule shows both passing and failing.
// Deterministic (seeded PRNG, pinned clock): rerunning gives the same bytes.
//
// Usage: node scripts/generate-demo-fleet.mjs [out.json]
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = process.argv[2] ?? join(ROOT, 'fixtures', 'demo', 'snapshot.json');
const NOW = Date.UTC(2026, 10, 29) / 1000; // 2026-11-29T00:00:00Z
const DAY = 86400;

// mulberry32: small, seedable, deterministic.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(20261129);
const between = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const hex = (n) => Array.from({ length: n }, () => between(0, 15).toString(16)).join('');

const SUB = '6f1c2d3e-0000-4000-8000-00000000d3m0';
const armId = (rg, name) => `/subscriptions/${SUB}/resourcegroups/${rg}/providers/microsoft.keyvault/vaults/${name}`;

function azureVault(name, rg, region, role, subsystem, configOverrides = {}) {
  return {
    id: armId(rg, name),
    provider: 'azure-keyvault',
    name,
    address: `https://${name}.vault.azure.net/`,
    region,
    role,
    subsystem,
    tags: { owner: 'platform-team' },
    config: {
      soft_delete: true,
      soft_delete_retention_days: 90,
      purge_protection: true,
      permission_model: 'rbac',
      public_network_access: 'disabled',
      network_default_action: 'deny',
      private_endpoints: 1,
      sku: 'premium',
      ...configOverrides,
    },
    audit: {
      destinations: [
        { id: `diag-${name}`, type: 'log-analytics', enabled: true, categories: ['audit', 'AuditEvent'], retention_days: 730 },
      ],
    },
    objects: {},
  };
}

// Versions: `history` is a list of ages (days) of successive versions, oldest first; the last is current.
function versions(history, expiresInDays) {
  const out = {};
  let current = '';
  history.forEach((ageDays, i) => {
    const id = `${hex(8)}${i}`;
    const created = NOW - ageDays * DAY - between(0, 3000);
    out[id] = {
      created,
      updated: created,
      expires: expiresInDays === null ? null : created + expiresInDays * DAY,
      not_before: created,
      enabled: true,
    };
    current = id;
  });
  return { versions: out, current };
}

function addAzureObject(vault, kind, name, path, history, extra = {}) {
  const { versions: vs, current } = versions(history, extra.expiresInDays ?? null);
  const cur = vs[current];
  const id = `${vault.address}${kind}s/${name}`;
  vault.objects[id] = {
    id,
    kind,
    name,
    path,
    enabled: extra.enabled ?? true,
    created: vs[Object.keys(vs)[0]].created,
    updated: cur.updated,
    expires: cur.expires,
    not_before: cur.not_before,
    tags: extra.tags ?? {},
    content_type: extra.content_type ?? null,
    current_version: current,
    versions: vs,
    ...(extra.key ? { key: extra.key } : {}),
    ...(kind === 'key' ? { rotation_policy: extra.rotation_policy ?? null } : {}),
    ...(kind === 'certificate'
      ? { certificate_policy: extra.certificate_policy ?? { validity_months: 12, auto_renew: true, renew_before_expiry_days: 30, renew_at_lifetime_percentage: null } }
      : {}),
  };
  return vault.objects[id];
}

const pem = 'application/x-pem-file';
const rotationHistory = (interval, currentAge, count = 3) => {
  const h = [];
  for (let i = count - 1; i >= 1; i--) h.push(currentAge + i * interval);
  h.push(currentAge);
  return h;
};

// --- Azure: control plane, primary in West Europe and its fallback in North Europe ----------------
const cpWeu = azureVault('kv-platform-weu', 'rg-platform', 'westeurope', 'primary', 'control-plane');
const cpNeu = azureVault('kv-platform-neu', 'rg-platform-dr', 'northeurope', 'secondary', 'control-plane');
const cpServices = ['api-gateway', 'orchestrator', 'policy-engine', 'scheduler', 'event-router', 'identity-broker', 'report-service', 'evidence-store'];
for (const svc of cpServices) {
  const age = svc === 'orchestrator' ? 120 : svc === 'report-service' ? 97 : between(3, 80);
  addAzureObject(cpWeu, 'certificate', `${svc}-cert`, `project/control-plane/${svc}-cert`, rotationHistory(90, age), { content_type: pem, expiresInDays: 365 });
}
for (let i = 0; i < 24; i++) {
  const name = `cp-config-token-${String(i).padStart(2, '0')}`;
  addAzureObject(cpWeu, 'secret', name, `project/control-plane/${name}`, rotationHistory(60, between(1, 55), 2), { expiresInDays: 60 });
}
addAzureObject(cpWeu, 'secret', 'siem-hec-token', 'project/control-plane/siem/hec-token', rotationHistory(30, 12));
addAzureObject(cpWeu, 'secret', 'siem-forwarder-key', 'project/control-plane/siem/forwarder-key', rotationHistory(30, 45));
addAzureObject(cpWeu, 'secret', 'telemetry-ingest-key', 'project/control-plane/telemetry/ingest-key', rotationHistory(30, 21));
addAzureObject(cpWeu, 'secret', 'EmergencyAccess', 'project/cab/EmergencyAccess', rotationHistory(30, 9));
addAzureObject(cpWeu, 'secret', 'admin-sql-root', 'project/control-plane/admin-sql-root', rotationHistory(30, 38));
addAzureObject(cpWeu, 'secret', 'legacy-db-password', 'legacy-db-password', [400]);
addAzureObject(cpWeu, 'secret', 'old-gateway-token', 'project/control-plane/old-gateway-token', [300], { enabled: false });

// The fallback holds copies of the primary's objects; one copy is 12 minutes behind.
for (const o of Object.values(cpWeu.objects)) {
  if (!o.enabled) continue;
  const copyId = o.id.replace(cpWeu.address, cpNeu.address);
  const copy = structuredClone(o);
  copy.id = copyId;
  const vid = `${hex(8)}r`;
  const primaryCurrent = o.versions[o.current_version];
  let created = primaryCurrent.created + between(5, 90);
  copy.versions = { [vid]: { ...primaryCurrent, created, updated: created } };
  copy.current_version = vid;
  copy.created = created;
  copy.updated = created;
  cpNeu.objects[copyId] = copy;
}
// A rotation 12 minutes ago on the primary has not reached the fallback yet.
{
  const o = cpWeu.objects[`${cpWeu.address}secrets/cp-config-token-07`];
  const vid = `${hex(8)}n`;
  const created = NOW - 12 * 60;
  o.versions[vid] = { created, updated: created, expires: created + 60 * DAY, not_before: created, enabled: true };
  o.current_version = vid;
  o.updated = created;
  o.expires = created + 60 * DAY;
  o.not_before = created;
}

// --- Azure: connectors, primary in West Europe (purge protection off) and a fallback in failover --
const conWeu = azureVault('kv-connectors-weu', 'rg-connectors', 'westeurope', 'primary', 'connectors', { purge_protection: false });
const conNeu = azureVault('kv-connectors-neu', 'rg-connectors-dr', 'northeurope', 'secondary', 'connectors');
const connectorSecrets = [
  ['jamf', 'oauth-client-secret', 'secret', null, 60],
  ['jamf', 'api-token', 'secret', null, 60],
  ['landscape', 'api-token', 'secret', null, 60],
  ['ansible', 'tower-token', 'secret', null, 60],
  ['intune', 'graph-app-cert', 'certificate', pem, 90],
  ['intune', 'graph-client-secret', 'secret', null, 60],
  ['sccm', 'service-account-cert', 'certificate', pem, 90],
];
for (const [connector, name, kind, ct, interval] of connectorSecrets) {
  for (const env of ['prod', 'staging', 'dev']) {
    const full = `${connector}-${name}-${env}`;
    let age = between(2, interval - 5);
    if (full === 'jamf-api-token-prod') age = 74;
    if (full === 'landscape-api-token-staging') age = 63;
    if (full === 'sccm-service-account-cert-prod') age = 131;
    const tags = name === 'graph-client-secret' ? { 'credential-type': 'api-token' } : {};
    addAzureObject(conWeu, kind, full, `project/connectors/${connector}/${name}-${env}`, rotationHistory(interval, age), { content_type: ct, tags, expiresInDays: interval });
  }
}
for (const tool of ['trivy', 'grype', 'snyk']) {
  addAzureObject(conWeu, 'secret', `scanner-${tool}`, `project/scanners/${tool}`, rotationHistory(60, tool === 'snyk' ? 88 : between(5, 40)));
}
for (const o of Object.values(conWeu.objects)) {
  const copyId = o.id.replace(conWeu.address, conNeu.address);
  const copy = structuredClone(o);
  copy.id = copyId;
  const vid = `${hex(8)}r`;
  const primaryCurrent = o.versions[o.current_version];
  const created = primaryCurrent.created + between(5, 60);
  copy.versions = { [vid]: { ...primaryCurrent, created, updated: created } };
  copy.current_version = vid;
  copy.created = created;
  copy.updated = created;
  conNeu.objects[copyId] = copy;
}
// Failover in progress: writes are permitted on the fallback while two rotations of the last
// three minutes have not reached it.
for (const name of ['jamf-oauth-client-secret-prod', 'ansible-tower-token-prod']) {
  const o = conWeu.objects[`${conWeu.address}secrets/${name}`];
  const vid = `${hex(8)}n`;
  const created = NOW - 3 * 60;
  o.versions[vid] = { created, updated: created, expires: created + 60 * DAY, not_before: created, enabled: true };
  o.current_version = vid;
  o.updated = created;
  o.expires = created + 60 * DAY;
  o.not_before = created;
}

// --- Azure: packaging (HSM signing keys) and CAB ---------------------------------------------------
const pkgWeu = azureVault('kv-packaging-weu', 'rg-packaging', 'westeurope', 'primary', 'packaging');
const signing = [
  ['authenticode', 'RSA-HSM', 3072, null, 34],
  ['developer-id', 'RSA-HSM', 2048, null, 100],
  ['apt-gpg', 'RSA-HSM', 4096, null, 61],
  ['msix', 'EC-HSM', null, 'P-256', 12],
];
for (const [name, type, size, curve, age] of signing) {
  addAzureObject(pkgWeu, 'key', `signing-${name}`, `project/packaging/signing/${name}`, rotationHistory(90, age, 4), {
    key: { type, size, curve, hsm: true, exportable: false, operations: ['sign', 'verify'] },
    rotation_policy: { rotate_after_days: 85, rotate_before_expiry_days: null, notify_before_expiry_days: 30, expiry_days: 365 },
  });
}
for (let i = 0; i < 30; i++) {
  const name = `pkg-feed-token-${String(i).padStart(2, '0')}`;
  addAzureObject(pkgWeu, 'secret', name, `project/packaging/feeds/${name}`, rotationHistory(60, i === 13 ? 75 : between(1, 58)), { tags: { 'credential-type': 'api-token' } });
}
addAzureObject(pkgWeu, 'secret', 'publish-store-credential', 'project/packaging/publish/store-credential', rotationHistory(90, 40));

const cabNeu = azureVault('kv-cab-neu', 'rg-cab', 'northeurope', 'primary', 'cab');
for (let i = 0; i < 12; i++) {
  const name = `cab-approval-signer-${i}`;
  addAzureObject(cabNeu, 'certificate', name, `project/cab/${name}`, rotationHistory(90, between(5, 85)), { content_type: pem });
}
addAzureObject(cabNeu, 'secret', 'cab-siem-webhook', 'project/cab/siem/webhook-secret', rotationHistory(30, 8));

// --- HashiCorp Vault Enterprise: primary in West Europe, DR secondary in North Europe --------------
function hashiVault(name, region, role, mounts) {
  return {
    id: `hashicorp-vault:${name}`,
    provider: 'hashicorp-vault',
    name,
    address: `https://${name}.vault.internal:8200`,
    region,
    role,
    subsystem: 'shared',
    config: {
      soft_delete: null,
      soft_delete_retention_days: null,
      purge_protection: null,
      permission_model: 'vault-acl',
      public_network_access: null,
      network_default_action: null,
      private_endpoints: null,
      sku: 'enterprise',
    },
    audit: {
      destinations: [
        { id: 'file/', type: 'file', enabled: true, categories: ['audit'], retention_days: null },
        { id: 'syslog/', type: 'syslog', enabled: true, categories: ['audit'], retention_days: 730 },
      ],
    },
    objects: {},
    hashicorp: {
      version: '1.21.2+ent',
      enterprise: true,
      sealed: false,
      mounts,
      policies: {},
      auth_roles: {},
      key_status: { term: 4, install_time: NOW - 20 * DAY },
      root_tokens: [],
      pki: {},
    },
  };
}
const mount = (path, type, kvVersion) => ({
  path,
  type,
  kv_version: kvVersion,
  max_versions: kvVersion === 2 ? 10 : null,
  delete_version_after_seconds: kvVersion === 2 ? 0 : null,
  cas_required: kvVersion === 2 ? false : null,
  default_lease_ttl: 0,
  max_lease_ttl: 0,
});
const hvWeu = hashiVault('vault-weu', 'westeurope', 'primary', {
  'secret/': mount('secret/', 'kv', 2),
  'legacy/': mount('legacy/', 'kv', 1),
  'pki/': mount('pki/', 'pki', null),
  'transit/': mount('transit/', 'transit', null),
});
const hvNeu = hashiVault('vault-neu', 'northeurope', 'secondary', { 'secret/': mount('secret/', 'kv', 2) });

function addKvSecret(vault, path, history, customMetadata = {}) {
  const id = `${vault.address}/v1/${path.replace(/^secret\//, 'secret/metadata/')}`;
  const vs = {};
  history.forEach((ageDays, i) => {
    const created = NOW - ageDays * DAY - between(0, 3000);
    vs[String(i + 1)] = { created, updated: created, expires: null, not_before: null, enabled: true, deleted_at: null, destroyed: false };
  });
  const current = String(history.length);
  vault.objects[id] = {
    id,
    kind: 'secret',
    name: path.split('/').pop(),
    path,
    enabled: true,
    created: vs['1'].created,
    updated: vs[current].created,
    expires: null,
    not_before: null,
    tags: customMetadata,
    content_type: null,
    current_version: current,
    versions: vs,
  };
}
for (const c of ['ansible', 'landscape']) {
  for (let i = 0; i < 20; i++) {
    const age = c === 'ansible' && i === 4 ? 66 : between(1, 57);
    addKvSecret(hvWeu, `secret/project/connectors/${c}/host-token-${String(i).padStart(2, '0')}`, rotationHistory(60, age, 3));
  }
}
for (let i = 0; i < 16; i++) {
  addKvSecret(hvWeu, `secret/project/control-plane/siem/collector-${i}`, rotationHistory(30, i === 9 ? 33 : between(1, 28), 4));
}
addKvSecret(hvWeu, 'secret/project/control-plane/root-unseal-wrapper', rotationHistory(30, 14));
addKvSecret(hvWeu, 'secret/project/control-plane/admin-approle-secret-id', rotationHistory(30, 52));
addKvSecret(hvWeu, 'secret/team-notes/shared-wifi', [500]);
for (const o of Object.values(hvWeu.objects)) {
  const copy = structuredClone(o);
  copy.id = o.id.replace(hvWeu.address, hvNeu.address);
  hvNeu.objects[copy.id] = copy;
}

const vaults = [cpWeu, cpNeu, conWeu, conNeu, pkgWeu, cabNeu, hvWeu, hvNeu];

// --- Principals and grants (the access rules of the full rulebook build on these) ----------------
const principals = {};
const grants = {};
function principal(id, type, display_name, auth_methods, subsystem, member_of = []) {
  principals[id] = { id, provider: id.startsWith('hashicorp') ? 'hashicorp-vault' : 'azure-keyvault', type, display_name, auth_methods, member_of, subsystem };
}
function grant(principalId, vault, scope, capabilities, role, source = 'rbac') {
  const id = `${vault.id}|${principalId}|${scope}|${role}`;
  grants[id] = { id, principal: principalId, vault: vault.id, scope, capabilities, source, role };
}
principal('aad:platform-admins', 'group', 'Platform Admins', ['certificate'], 'platform-admin');
principal('aad:mi-orchestrator', 'managed-identity', 'orchestrator (managed identity)', ['managed-identity'], 'control-plane');
principal('aad:sp-jamf-connector', 'service-principal', 'jamf-connector', ['certificate'], 'connectors/jamf');
principal('aad:sp-packaging-pipeline', 'service-principal', 'packaging-pipeline', ['federated'], 'packaging');
for (const v of [cpWeu, cpNeu, conWeu, conNeu, pkgWeu, cabNeu]) {
  grant('aad:platform-admins', v, '*', ['list', 'read-metadata', 'read-value', 'write', 'delete', 'manage-access'], 'Key Vault Administrator');
}
grant('aad:mi-orchestrator', cpWeu, 'project/control-plane/*', ['list', 'read-metadata', 'read-value'], 'Key Vault Secrets User');
grant('aad:sp-jamf-connector', conWeu, 'project/connectors/jamf/*', ['list', 'read-metadata', 'read-value'], 'Key Vault Secrets User');
grant('aad:sp-packaging-pipeline', pkgWeu, 'project/packaging/signing/*', ['read-metadata', 'sign'], 'Key Vault Crypto User');
principal('hashicorp-vault:vault-weu:approle/ansible-runner', 'vault-role', 'approle/ansible-runner', ['approle'], 'connectors/ansible');
grant('hashicorp-vault:vault-weu:approle/ansible-runner', hvWeu, 'secret/data/project/connectors/ansible/*', ['read-value'], 'connector-ansible', 'vault-policy');

const replication = {
  'azure:kv-platform-weu->kv-platform-neu': { id: 'azure:kv-platform-weu->kv-platform-neu', primary: cpWeu.id, secondary: cpNeu.id, method: 'version-compare', writes_permitted_on_secondary: false },
  'azure:kv-connectors-weu->kv-connectors-neu': { id: 'azure:kv-connectors-weu->kv-connectors-neu', primary: conWeu.id, secondary: conNeu.id, method: 'version-compare', writes_permitted_on_secondary: true },
  'vault:vault-weu->vault-neu': {
    id: 'vault:vault-weu->vault-neu',
    primary: hvWeu.id,
    secondary: hvNeu.id,
    method: 'vault-enterprise',
    writes_permitted_on_secondary: false,
    status: { state: 'running', connection_state: 'connected', last_heartbeat: NOW - 4, primary_last_wal: 918273, secondary_last_wal: 918273 },
  },
};

const scopes = [
  { provider: 'azure-keyvault', scope: `/subscriptions/${SUB}`, status: 'complete' },
  ...vaults.map((v) => ({ provider: v.provider, scope: v.id, status: 'complete' })),
];

const snapshot = {
  schema: 'vaultproof/snapshot/v1',
  scan_id: '00000000-0000-4000-8000-00000000de70',
  now: NOW,
  regions_in_scope: ['westeurope', 'northeurope'],
  identities: [
    { provider: 'azure-keyvault', endpoint: 'https://management.azure.com', id: 'demo-scanner (app 5c0ffee0)', tenant_id: '72f988bf-0000-4000-8000-000000000000' },
    { provider: 'hashicorp-vault', endpoint: hvWeu.address, id: 'hmac-sha256:demo', display_name: 'approle-vaultproof-scanner', policies: ['vaultproof-scanner'] },
  ],
  scopes,
  vaults: Object.fromEntries(vaults.map((v) => [v.id, v])),
  principals,
  grants,
  replication,
};
writeFileSync(OUT, JSON.stringify(snapshot, null, 2) + '\n');
const objects = vaults.reduce((n, v) => n + Object.keys(v.objects).length, 0);
console.error(`demo fleet: ${vaults.length} vaults, ${objects} objects -> ${OUT}`);
