#!/usr/bin/env node
// Generates the embedded demo fleet (fixtures/demo/snapshot.json): Azure Key Vaults and a
// HashiCorp Vault Enterprise cluster across two regions, a few hundred objects, the principals and
// grants of the platform, Vault policies/auth roles/PKI, and a month of event facts (rotation
// records, break-glass approvals, audit counts, access reviews, CAB escalations). Mostly compliant,
// with deliberate violations so that every rule shows both passing and failing.
// Deterministic (seeded PRNG, pinned clock): rerunning gives the same bytes.
//
// Usage: node scripts/generate-demo-fleet.mjs [out.json]
//        node scripts/generate-demo-fleet.mjs --previous-month [out.json]   (the fleet a month earlier,
//        default fixtures/demo/snapshot-previous.json; see scripts/demo-fleet-previous-month.mjs)
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { previousMonth } from './demo-fleet-previous-month.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PREVIOUS_MONTH = process.argv.includes('--previous-month');
const ARGS = process.argv.slice(2).filter((a) => a !== '--previous-month');
const OUT = ARGS[0] ?? join(ROOT, 'fixtures', 'demo', PREVIOUS_MONTH ? 'snapshot-previous.json' : 'snapshot.json');
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
// The CAB's own subscription, where Microsoft Defender for Key Vault was never turned on (VP-AZ-024).
const CAB_SUB = '6f1c2d3e-0000-4000-8000-0000000c4b00';

function azureVault(name, rg, region, role, subsystem, configOverrides = {}, destinations = null) {
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
      // The subscription's Microsoft Defender for Key Vault plan (VP-AZ-024).
      defender_for_key_vault: true,
      ...configOverrides,
    },
    audit: {
      destinations: destinations ?? [
        // The workspace keeps 730 days by default; its AZKVAuditLogs table keeps 90 days interactive and
        // 730 in all (long-term retention), which VP-AUD-002 judges.
        { id: `diag-${name}`, type: 'log-analytics', enabled: true, categories: ['audit', 'AuditEvent'], retention_days: 730, log_analytics_table: { name: 'AZKVAuditLogs', retention_days: 90, total_retention_days: 730 } },
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
    content_type: extra.content_type !== undefined ? extra.content_type : kind === 'secret' ? 'text/plain' : null,
    current_version: current,
    versions: vs,
    // A certificate's key facts come from its issuance policy: RSA 2048 unless the object says otherwise.
    ...(extra.key ? { key: extra.key } : kind === 'certificate' ? { key: { ...CERTIFICATE_KEY } } : {}),
    ...(kind === 'key' ? { rotation_policy: extra.rotation_policy ?? null } : {}),
    ...(kind === 'certificate'
      ? // 12-month certificates renewed at 24 % of their lifetime (day 87.6, within the 90-day interval: VP-AZ-017).
        // The issuer the policy names: a CA outside Key Vault (Unknown) unless the object says otherwise (VP-AZ-019).
        { certificate_policy: { ...(extra.certificate_policy ?? { validity_months: 12, auto_renew: true, renew_before_expiry_days: null, renew_at_lifetime_percentage: 24 }), issuer_name: extra.issuer ?? 'Unknown' } }
      : {}),
  };
  return vault.objects[id];
}

const CERTIFICATE_KEY = { type: 'RSA', size: 2048, curve: null, hsm: false, exportable: false, operations: ['digitalSignature', 'keyEncipherment'] };
const pem = 'application/x-pem-file';
const rotationHistory = (interval, currentAge, count = 3) => {
  const h = [];
  for (let i = count - 1; i >= 1; i--) h.push(currentAge + i * interval);
  h.push(currentAge);
  return h;
};

// --- Azure: control plane, primary in West Europe and its fallback in North Europe ----------------
const cpWeu = azureVault('kv-platform-weu', 'rg-platform', 'westeurope', 'primary', 'control-plane');
// The control plane also archives its audit records to a private storage account whose AuditEvent container
// carries a locked time-based immutability policy (VP-AZ-026 and VP-AZ-027 pass); kept forever.
cpWeu.audit.destinations.push({
  id: 'diag-kv-platform-weu-archive', type: 'storage', enabled: true, categories: ['AuditEvent'], retention_days: 0,
  target: `/subscriptions/${SUB}/resourcegroups/rg-logging/providers/microsoft.storage/storageaccounts/stplatformaudit`,
  storage: { allow_blob_public_access: false, public_network_access: 'disabled', network_default_action: 'deny', immutability: 'locked' },
});
const cpNeu = azureVault('kv-platform-neu', 'rg-platform-dr', 'northeurope', 'secondary', 'control-plane');
const cpServices = ['api-gateway', 'orchestrator', 'policy-engine', 'scheduler', 'event-router', 'identity-broker', 'report-service', 'evidence-store'];
for (const svc of cpServices) {
  const age = svc === 'orchestrator' ? 120 : svc === 'report-service' ? 97 : between(3, 80);
  // Issued by the integrated DigiCert CA, except the event router's, left self-signed since a test (VP-AZ-019).
  const issuer = svc === 'event-router' ? 'Self' : 'DigiCert';
  addAzureObject(cpWeu, 'certificate', `${svc}-cert`, `project/control-plane/${svc}-cert`, rotationHistory(90, age), { content_type: pem, expiresInDays: 365, issuer });
}
for (let i = 0; i < 24; i++) {
  const name = `cp-config-token-${String(i).padStart(2, '0')}`;
  addAzureObject(cpWeu, 'secret', name, `project/control-plane/${name}`, rotationHistory(60, i === 16 ? 55 : between(1, 50), 2), { expiresInDays: 60 });
}
addAzureObject(cpWeu, 'secret', 'siem-hec-token', 'project/control-plane/siem/hec-token', rotationHistory(30, 12), { expiresInDays: 30 });
// The forwarder key's rotation job failed: it expired 15 days ago (escalated to the CAB, see events).
addAzureObject(cpWeu, 'secret', 'siem-forwarder-key', 'project/control-plane/siem/forwarder-key', rotationHistory(30, 45), { expiresInDays: 30 });
addAzureObject(cpWeu, 'secret', 'telemetry-ingest-key', 'project/control-plane/telemetry/ingest-key', rotationHistory(30, 21), { expiresInDays: 30 });
addAzureObject(cpWeu, 'secret', 'EmergencyAccess', 'project/cab/EmergencyAccess', rotationHistory(30, 9), { expiresInDays: 30 });
addAzureObject(cpWeu, 'secret', 'admin-sql-root', 'project/control-plane/admin-sql-root', rotationHistory(30, 38));
addAzureObject(cpWeu, 'secret', 'legacy-db-password', 'legacy-db-password', [400], { content_type: null });
// Its current version was issued with a 60-day expiry and no rotation policy: it expires in 27 days (VP-AZ-021).
addAzureObject(cpWeu, 'key', 'report-encryption-key', 'project/control-plane/report-encryption-key', rotationHistory(90, 33), {
  expiresInDays: 60,
  tags: { 'credential-type': 'generic' },
  key: { type: 'RSA', size: 2048, curve: null, hsm: false, exportable: false, operations: ['decrypt', 'encrypt', 'unwrapKey', 'wrapKey'] },
  rotation_policy: null,
});
// The legacy SSO key's versions are valid for two years (VP-AZ-020).
addAzureObject(cpWeu, 'key', 'legacy-sso-signing-key', 'project/control-plane/legacy-sso-signing-key', rotationHistory(90, 61), {
  expiresInDays: 730,
  tags: { purpose: 'signing' },
  key: { type: 'RSA-HSM', size: 1024, curve: null, hsm: true, exportable: false, operations: ['sign', 'verify'] },
  rotation_policy: { rotate_after_days: 80, rotate_before_expiry_days: null, notify_before_expiry_days: 30, expiry_days: 365 },
});
addAzureObject(cpWeu, 'secret', 'old-gateway-token', 'project/control-plane/old-gateway-token', [300], { enabled: false });

/**
 * Copies of the primary's objects (those `include` accepts) on its fallback: each copy's only version
 * is the primary's current one under a new id (version ids differ between vaults), created 5 to
 * `maxLagSeconds` seconds after it.
 */
function replicateAzure(primary, fallback, maxLagSeconds, include = () => true) {
  for (const o of Object.values(primary.objects)) {
    if (!include(o)) continue;
    const copy = structuredClone(o);
    copy.id = o.id.replace(primary.address, fallback.address);
    const vid = `${hex(8)}r`;
    const primaryCurrent = o.versions[o.current_version];
    const created = primaryCurrent.created + between(5, maxLagSeconds);
    copy.versions = { [vid]: { ...primaryCurrent, created, updated: created } };
    copy.current_version = vid;
    copy.created = created;
    copy.updated = created;
    fallback.objects[copy.id] = copy;
  }
}

// The fallback holds copies of the primary's objects; one copy is 12 minutes behind.
replicateAzure(cpWeu, cpNeu, 90, (o) => o.enabled);
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
// The fallback was stood up in a hurry: public endpoint open, no private endpoint.
const conNeu = azureVault('kv-connectors-neu', 'rg-connectors-dr', 'northeurope', 'secondary', 'connectors',
  { public_network_access: 'enabled', network_default_action: 'allow', private_endpoints: 0 },
  [{ id: 'diag-kv-connectors-neu', type: 'log-analytics', enabled: true, categories: ['audit'], retention_days: 730, log_analytics_table: { name: 'AzureDiagnostics', retention_days: 730, total_retention_days: 730 } }]);
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
    // An imported SCCM certificate: two-year validity, no AutoRenew.
    // It expired 41 days ago (VP-AZ-016); the other connector certificates are valid for 12 months.
    // The production Intune certificate renews at 80 % of its 12 months: day 292, past the 90-day interval (VP-AZ-017).
    const certificate_policy = full === 'sccm-service-account-cert-prod'
      ? { validity_months: 24, auto_renew: false, renew_before_expiry_days: null, renew_at_lifetime_percentage: null }
      : full === 'intune-graph-app-cert-prod'
        ? { validity_months: 12, auto_renew: true, renew_before_expiry_days: null, renew_at_lifetime_percentage: 80 }
        : undefined;
    const expiresInDays = kind === 'certificate' && full !== 'sccm-service-account-cert-prod' ? 365 : interval;
    // ...and its key is RSA 1024 (VP-AZ-014).
    const key = full === 'sccm-service-account-cert-prod' ? { ...CERTIFICATE_KEY, size: 1024 } : undefined;
    addAzureObject(conWeu, kind, full, `project/connectors/${connector}/${name}-${env}`, rotationHistory(interval, age), {
      ...(ct ? { content_type: ct } : {}),
      ...(key ? { key } : {}),
      tags,
      expiresInDays,
      ...(certificate_policy ? { certificate_policy } : {}),
    });
  }
}
replicateAzure(conWeu, conNeu, 60);
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
// Its AZKVAuditLogs table keeps 90 days interactive and archives the rest: 730 days in all, which is
// what VP-AUD-002 judges. Every Azure destination keeps two years, while the HashiCorp file devices
// declare no retention: the fleet's 2-year retention (SM-5-d) is unjudged (error), not compliant.
pkgWeu.audit.destinations[0].log_analytics_table = { name: 'AZKVAuditLogs', retention_days: 90, total_retention_days: 730 };
const signing = [
  ['authenticode', 'RSA-HSM', 3072, null, 34],
  ['developer-id', 'RSA-HSM', 2048, null, 100],
  ['apt-gpg', 'RSA-HSM', 4096, null, 61],
  ['msix', 'EC-HSM', 256, 'P-256', 12],
  ['sbom-attestation', 'EC-HSM', 256, 'P-256K', 27],
];
for (const [name, type, size, curve, age] of signing) {
  addAzureObject(pkgWeu, 'key', `signing-${name}`, `project/packaging/signing/${name}`, rotationHistory(90, age, 4), {
    key: { type, size, curve, hsm: true, exportable: false, operations: ['sign', 'verify'] },
    rotation_policy: { rotate_after_days: 85, rotate_before_expiry_days: null, notify_before_expiry_days: 30, expiry_days: 365 },
    expiresInDays: 365,
  });
}
for (let i = 0; i < 30; i++) {
  const name = `pkg-feed-token-${String(i).padStart(2, '0')}`;
  addAzureObject(pkgWeu, 'secret', name, `project/packaging/feeds/${name}`, rotationHistory(60, i === 13 ? 75 : between(1, 50)), { tags: { 'credential-type': 'api-token' }, expiresInDays: 60 });
}
// The store credential was issued for two years although it rotates every 90 days.
addAzureObject(pkgWeu, 'secret', 'publish-store-credential', 'project/packaging/publish/store-credential', rotationHistory(90, 40), { expiresInDays: 730 });
// A GPG private key kept as a secret next to the HSM keys: it leaves the HSM whenever it is used.
addAzureObject(pkgWeu, 'secret', 'apt-gpg-legacy-private', 'project/packaging/signing/apt-gpg-legacy-private', rotationHistory(90, 52), { content_type: 'application/pgp-keys', expiresInDays: 365 });
// Scanner tokens, one per tool, each declared read-only (the Snyk token is overdue): the scanner-token
// requirement (SM-2-g) is the demo's compliant one.
for (const tool of ['trivy', 'grype', 'snyk']) {
  const tags = { 'token-scope': 'read-only' };
  addAzureObject(pkgWeu, 'secret', `scanner-${tool}`, `project/packaging/scanners/${tool}`, rotationHistory(60, tool === 'snyk' ? 88 : between(5, 40)), { tags });
}

// A symmetric AES key (oct-HSM, Premium vaults) encrypts the feed cache: outside the default allowed key
// types (VP-AZ-025). Written out by hand: a version id from the PRNG would shift every later value.
{
  const created = NOW - 40 * DAY;
  const id = `${pkgWeu.address}keys/feed-cache-encryption-key`;
  const version = { created, updated: created, expires: created + 365 * DAY, not_before: created, enabled: true };
  pkgWeu.objects[id] = {
    id, kind: 'key', name: 'feed-cache-encryption-key', path: 'project/packaging/feed-cache-encryption-key', enabled: true,
    created, updated: created, expires: version.expires, not_before: created, tags: { 'credential-type': 'generic' }, content_type: null,
    current_version: 'ae5000000', versions: { ae5000000: version },
    key: { type: 'oct-HSM', size: 256, curve: null, hsm: true, exportable: false, operations: ['decrypt', 'encrypt', 'unwrapKey', 'wrapKey'] },
    rotation_policy: { rotate_after_days: 85, rotate_before_expiry_days: null, notify_before_expiry_days: 30, expiry_days: 365 },
  };
}

// The CAB vault still uses access policies and archives its logs to a storage account only. It has
// a private endpoint, but its public endpoint was left Enabled behind the firewall (VP-AZ-023). It lives
// in the CAB's own subscription, whose Defender for Key Vault plan is off (Free).
const cabNeu = azureVault('kv-cab-neu', 'rg-cab', 'northeurope', 'primary', 'cab', { permission_model: 'access-policy', public_network_access: 'enabled', defender_for_key_vault: false },
  [{
    id: 'diag-kv-cab-neu-archive', type: 'storage', enabled: true, categories: ['AuditEvent'], retention_days: 0,
    // Its archive account was created with the defaults of the time: the firewall allows all networks, and the
    // AuditEvent container's immutability policy was never locked after testing (VP-AZ-026 and VP-AZ-027 fail).
    target: `/subscriptions/${CAB_SUB}/resourcegroups/rg-cab/providers/microsoft.storage/storageaccounts/stcabarchive`,
    storage: { allow_blob_public_access: false, public_network_access: 'enabled', network_default_action: 'allow', immutability: 'unlocked' },
  }]);
cabNeu.id = cabNeu.id.replace(`/subscriptions/${SUB}/`, `/subscriptions/${CAB_SUB}/`);
for (let i = 0; i < 12; i++) {
  const name = `cab-approval-signer-${i}`;
  // Approval signers hold RSA-HSM keys; the last two were issued as EC certificates, which the
  // default allow-list refuses (VP-AZ-018), and the last one on secp256k1 (P-256K, VP-AZ-015).
  const key = i < 10
    ? { type: 'RSA-HSM', size: 3072, curve: null, hsm: true, exportable: false, operations: ['digitalSignature'] }
    : { type: 'EC-HSM', size: 256, curve: i === 11 ? 'P-256K' : 'P-256', hsm: true, exportable: false, operations: ['digitalSignature'] };
  addAzureObject(cabNeu, 'certificate', name, `project/cab/${name}`, rotationHistory(90, between(5, 85)), { content_type: pem, key, expiresInDays: 365 });
}
addAzureObject(cabNeu, 'secret', 'cab-siem-webhook', 'project/cab/siem/webhook-secret', rotationHistory(30, 8), { expiresInDays: 30 });
addAzureObject(cabNeu, 'secret', 'break-glass-sql-admin', 'project/cab/break-glass/sql-admin', rotationHistory(30, 20), { expiresInDays: 30 });
// The CAB portal's session salt matches no classification rule (VP-ROT-010) and is 20 days old (passes
// VP-AZ-022, which ages unclassified objects; legacy-db-password, 400 days, fails it). Written out by
// hand: a version id from the PRNG would shift every value generated after it.
{
  const created = NOW - 20 * DAY;
  const id = `${cabNeu.address}secrets/cab-portal-session-salt`;
  cabNeu.objects[id] = {
    id, kind: 'secret', name: 'cab-portal-session-salt', path: 'project/cab/portal-session-salt', enabled: true,
    created, updated: created, expires: created + 365 * DAY, not_before: created, tags: {}, content_type: 'text/plain',
    current_version: 'c0ffee000',
    versions: { c0ffee000: { created, updated: created, expires: created + 365 * DAY, not_before: created, enabled: true } },
  };
}

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
        { id: 'file/', type: 'file', enabled: true, categories: ['audit'], retention_days: null, options: { file_path: '/var/log/vault/audit.log' } },
        { id: 'syslog/', type: 'syslog', enabled: true, categories: ['audit'], retention_days: 730, options: { facility: 'AUTH', tag: 'vault' } },
      ],
    },
    objects: {},
    hashicorp: {
      version: '1.21.2+ent',
      enterprise: true,
      sealed: false,
      // Auto-unseal through the platform HSM (VP-HCV-012).
      seal_type: 'pkcs11',
      mounts,
      policies: {},
      auth_roles: {},
      key_status: { term: 4, install_time: NOW - 20 * DAY },
      root_tokens: [],
      pki: {},
      // sys/config/state/sanitized: TLS 1.3 on the API listener, https between the nodes.
      server_config: {
        listeners: [{ type: 'tcp', address: '0.0.0.0:8200', tls_disable: false, tls_min_version: 'tls13' }],
        cluster_addr: `https://${name}-0.vault.internal:8201`,
        api_addr: `https://${name}.vault.internal:8200`,
        // Leases: Vault's built-in 768h default and maximum (VP-HCV-014).
        default_lease_ttl: 0,
        max_lease_ttl: 0,
      },
      auth_mounts: Object.fromEntries(['approle/', 'jwt/', 'kubernetes/', 'token/'].map((p) => [p, { path: p, type: p.slice(0, -1), default_lease_ttl: 0, max_lease_ttl: 0 }])),
      // sys/auth config.user_lockout_config: AppRole locks out after 5 failed logins for 15 minutes (VP-HCV-034).
      auth_user_lockout: Object.fromEntries(['approle/', 'jwt/', 'kubernetes/', 'token/'].map((p) => [p, { type: p.slice(0, -1), lockout: p === 'approle/' ? { threshold: 5, duration_seconds: 900, counter_reset_seconds: 0, disabled: false } : null }])),
      // sys/config/auditing/request-headers: the scan's correlation id is audited in clear.
      audited_request_headers: { 'user-agent': { hmac: false }, 'x-correlation-id': { hmac: false } },
      correlation_header: 'x-correlation-id',
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
  // The mounts holding signing keys (PKI CAs, transit) are seal-wrapped.
  seal_wrap: type === 'pki' || type === 'transit',
});
const hvWeu = hashiVault('vault-weu', 'westeurope', 'primary', {
  'secret/': mount('secret/', 'kv', 2),
  'legacy/': mount('legacy/', 'kv', 1),
  // The CI mount deletes superseded versions after 3 days, before the 7-day audit hold ends.
  'ci/': { ...mount('ci/', 'kv', 2), delete_version_after_seconds: 3 * DAY },
  'pki/': mount('pki/', 'pki', null),
  'pki_int/': mount('pki_int/', 'pki', null),
  'transit/': mount('transit/', 'transit', null),
});
const hvNeu = hashiVault('vault-neu', 'northeurope', 'secondary', { 'secret/': mount('secret/', 'kv', 2) });
// The DR secondary: a single audit device, and its barrier key has not been rotated for 45 days.
hvNeu.audit.destinations = [{ id: 'file/', type: 'file', enabled: true, categories: ['audit'], retention_days: null, options: { file_path: '/var/log/vault/audit.log' } }];
hvNeu.hashicorp.key_status = { term: 2, install_time: NOW - 45 * DAY };
// Its listener still accepts TLS 1.1 and its cluster address was left on http (VP-HCV-010).
hvNeu.hashicorp.server_config = {
  listeners: [{ type: 'tcp', address: '0.0.0.0:8200', tls_disable: false, tls_min_version: 'tls11' }],
  cluster_addr: 'http://vault-neu-0.vault.internal:8201',
  api_addr: 'https://vault-neu.vault.internal:8200',
  // ...and its system maximum lease TTL was raised to a year (VP-HCV-014).
  default_lease_ttl: 0,
  max_lease_ttl: 31536000,
};
// Rebuilt from an old configuration, it audits no correlation header (VP-HCV-011).
hvNeu.hashicorp.audited_request_headers = { 'user-agent': { hmac: false } };
// And it sealed itself after a restart nobody unsealed: the DR copy is unavailable (VP-HCV-012).
hvNeu.hashicorp.sealed = true;
// Its upgrades lag behind the primary's: 1.18 is out of support (VP-HCV-013).
hvNeu.hashicorp.version = '1.18.5+ent';
// Its AppRole mount was re-created without its user lockout (VP-HCV-034).
hvNeu.hashicorp.auth_user_lockout['approle/'].lockout = null;

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
  return vault.objects[id];
}
for (const c of ['ansible', 'landscape']) {
  for (let i = 0; i < 20; i++) {
    const age = c === 'ansible' && i === 4 ? 66 : between(1, 50);
    addKvSecret(hvWeu, `secret/project/connectors/${c}/host-token-${String(i).padStart(2, '0')}`, rotationHistory(60, age, 3));
  }
}
// Old versions purged by the scheduled job after the hold (ansible host-token-00), and one destroyed
// by hand the day after its rotation (landscape host-token-03).
{
  const kept = hvWeu.objects[`${hvWeu.address}/v1/secret/metadata/project/connectors/ansible/host-token-00`];
  kept.versions['1'].deleted_at = kept.versions['2'].created + 9 * DAY;
  kept.versions['1'].enabled = false;
  const early = hvWeu.objects[`${hvWeu.address}/v1/secret/metadata/project/connectors/landscape/host-token-03`];
  const created = NOW - 2 * DAY;
  early.versions['4'] = { created, updated: created, expires: null, not_before: null, enabled: true, deleted_at: null, destroyed: false };
  early.versions['3'].destroyed = true;
  early.versions['3'].enabled = false;
  early.current_version = '4';
  early.updated = created;
}
for (let i = 0; i < 16; i++) {
  addKvSecret(hvWeu, `secret/project/control-plane/siem/collector-${i}`, rotationHistory(30, i === 9 ? 33 : between(1, 28), 4));
}
addKvSecret(hvWeu, 'secret/project/control-plane/root-unseal-wrapper', rotationHistory(30, 14));
addKvSecret(hvWeu, 'secret/project/control-plane/admin-approle-secret-id', rotationHistory(30, 52));
addKvSecret(hvWeu, 'secret/team-notes/shared-wifi', [500]);
for (let i = 0; i < 6; i++) addKvSecret(hvWeu, `ci/project/packaging/build-cache-token-${i}`, rotationHistory(60, between(3, 40), 2), { 'credential-type': 'api-token' });
for (const o of Object.values(hvWeu.objects)) {
  if (!o.path.startsWith('secret/')) continue;
  const copy = structuredClone(o);
  copy.id = o.id.replace(hvWeu.address, hvNeu.address);
  hvNeu.objects[copy.id] = copy;
}

// Vault ACL policies (parsed), auth roles, root tokens and PKI of the primary cluster.
const acl = (name, rules) => ({ name, rules: rules.map(([path, capabilities]) => ({ path, capabilities })) });
hvWeu.hashicorp.policies = {
  default: acl('default', [['auth/token/lookup-self', ['read']], ['auth/token/renew-self', ['update']], ['sys/capabilities-self', ['update']]]),
  'platform-admin': acl('platform-admin', [
    ['secret/data/*', ['create', 'read', 'update', 'delete', 'list']],
    ['secret/metadata/*', ['read', 'list', 'delete']],
    ['sys/policies/acl/*', ['create', 'read', 'update', 'delete', 'list', 'sudo']],
    ['sys/audit/*', ['create', 'read', 'update', 'delete', 'list', 'sudo']],
  ]),
  'connector-ansible': acl('connector-ansible', [['secret/data/project/connectors/ansible/*', ['read']], ['secret/metadata/project/connectors/ansible/*', ['read', 'list']]]),
  'landscape-sync': acl('landscape-sync', [['secret/data/project/connectors/landscape/*', ['create', 'update', 'read']]]),
  'siem-collector': acl('siem-collector', [['secret/data/project/*', ['read']]]),
  'ci-deployer': acl('ci-deployer', [['ci/data/project/packaging/*', ['read']], ['sys/mounts/*', ['read', 'sudo']]]),
  'ops-legacy': acl('ops-legacy', [['*', ['read', 'list']]]),
  'vaultproof-scanner': acl('vaultproof-scanner', [['secret/metadata/*', ['read', 'list']], ['sys/policies/acl/*', ['read', 'list']]]),
};
const roleId = (vault, mountPath, name) => `${vault.id}:role:${mountPath}${name}`;
const authRole = (vault, method, mountPath, name, policies, ttl, maxTtl, secretIdTtl) => {
  const id = roleId(vault, mountPath, name);
  vault.hashicorp.auth_roles[id] = { id, method, name: `${mountPath}${name}`, token_policies: policies, token_ttl: ttl, token_max_ttl: maxTtl, secret_id_ttl: secretIdTtl };
  return id;
};
const ansibleRole = authRole(hvWeu, 'approle', 'approle/', 'ansible-runner', ['connector-ansible'], 3600, 14400, 30 * DAY);
const landscapeRole = authRole(hvWeu, 'approle', 'approle/', 'landscape-sync', ['landscape-sync'], 3600, 0, 0);
const siemRole = authRole(hvWeu, 'kubernetes', 'kubernetes/', 'siem-collector', ['siem-collector'], 900, 3600, null);
const ciRole = authRole(hvWeu, 'jwt', 'jwt/', 'ci-deployer', ['ci-deployer'], 1800, 7200, null);
const scannerRole = authRole(hvWeu, 'approle', 'approle/', 'vaultproof-scanner', ['vaultproof-scanner'], 900, 3600, 7 * DAY);
hvWeu.hashicorp.root_tokens = [{ accessor_hash: 'hmac-sha256:5d1f9c2a7be04e16', created: NOW - 3 * DAY, expires: null }];
const pkiCert = (vault, mountPath, serial, isCa, notBefore, notAfter) => {
  const id = `${vault.id}:pki:${mountPath}${serial}`;
  vault.hashicorp.pki[id] = { id, mount: mountPath, serial, is_ca: isCa, not_before: notBefore, not_after: notAfter };
};
pkiCert(hvWeu, 'pki/', '3a:0f:91:c4', true, NOW - 900 * DAY, NOW + 2750 * DAY);
pkiCert(hvWeu, 'pki_int/', '51:77:0e:2d', true, NOW - 1705 * DAY, NOW + 120 * DAY);
for (let i = 0; i < 8; i++) {
  const issued = NOW - (i === 5 ? 140 : between(2, 80)) * DAY;
  pkiCert(hvWeu, 'pki_int/', `6c:${String(10 + i)}:a1:${hex(2)}`, false, issued, issued + (i === 5 ? 365 : 90) * DAY);
}
pkiCert(hvWeu, 'pki_int/', '6c:99:a1:ff', false, NOW - 130 * DAY, NOW - 40 * DAY);
// PKI roles (VP-HCV-035): vault-weu's intermediate still has the 1-year legacy-server role the 365-day
// leaf above came from (fails); vault-neu issues its own short-lived certificates from a 30-day role (passes).
hvWeu.hashicorp.pki_roles = { 'pki/': {}, 'pki_int/': { web: { max_ttl: 90 * DAY, ttl: 30 * DAY }, 'legacy-server': { max_ttl: 365 * DAY, ttl: 0 } } };
hvNeu.hashicorp.mounts['pki/'] = { ...mount('pki/', 'pki', null), max_lease_ttl: 30 * DAY };
hvNeu.hashicorp.pki_roles = { 'pki/': { web: { max_ttl: 30 * DAY, ttl: 7 * DAY } } };
// Transit signing keys (hand-written, no PRNG draw): the release signer is non-exportable and was
// rotated 20 days ago (VP-HCV-030/031 pass); the legacy APT signer was created exportable with
// plaintext backup allowed and its latest version is 200 days old (VP-HCV-030/031 fail).
const transitKey = (vault, name, type, exportable, backup, versionAges) => {
  const path = `transit/${name}`;
  const id = `${vault.id}:transit:${path}`;
  const versions = {};
  versionAges.forEach((age, i) => {
    const created = NOW - age * DAY;
    versions[String(i + 1)] = { created, updated: created, expires: null, not_before: null, enabled: true };
  });
  const latest = String(versionAges.length);
  vault.objects[id] = {
    id, kind: 'key', name, path, enabled: true,
    created: versions['1'].created, updated: versions[latest].created, expires: null, not_before: null,
    tags: {}, content_type: null, current_version: latest, versions,
    key: {
      type, size: type.startsWith('rsa-') ? Number(type.slice(4)) : null, curve: type === 'ecdsa-p256' ? 'P-256' : null, hsm: false, exportable,
      operations: ['sign', 'verify'], allow_plaintext_backup: backup, deletion_allowed: false, min_decryption_version: 1, auto_rotate_period_seconds: type === 'ecdsa-p256' ? 60 * DAY : 0,
    },
  };
};
transitKey(hvWeu, 'release-signing', 'ecdsa-p256', false, false, [80, 20]);
transitKey(hvWeu, 'legacy-apt-signing', 'rsa-4096', true, true, [200]);

// Break-glass on the Vault clusters (VP-HCV-016), written out by hand (no PRNG draw): vault-weu keeps its
// recovery credential under secret/EmergencyAccess/, where platform-admin (secret/data/*) and ops-legacy (*)
// read it without a control group; vault-neu's copy is read only through a two-approver control group.
const breakGlassKv = (vault, path, ageDays) => {
  const id = `${vault.address}/v1/${path.replace(/^secret\//, 'secret/metadata/')}`;
  const versions = {};
  ageDays.forEach((age, i) => {
    const created = NOW - age * DAY;
    versions[String(i + 1)] = { created, updated: created, expires: null, not_before: null, enabled: true, deleted_at: null, destroyed: false };
  });
  const current = String(ageDays.length);
  vault.objects[id] = {
    id, kind: 'secret', name: path.split('/').pop(), path, enabled: true, created: versions['1'].created, updated: versions[current].created,
    expires: null, not_before: null, tags: {}, content_type: null, current_version: current, versions,
  };
};
breakGlassKv(hvWeu, 'secret/EmergencyAccess/vault-recovery', [40, 12]);
breakGlassKv(hvNeu, 'secret/EmergencyAccess/vault-recovery', [40, 12]);
hvNeu.hashicorp.policies = {
  'break-glass': {
    name: 'break-glass',
    rules: [{
      path: 'secret/data/EmergencyAccess/*', capabilities: ['read'],
      control_group: { factors: [{ name: 'approvers', approvals: 2, group_names: ['break-glass-approvers'], group_ids: [], controlled_capabilities: [] }] },
    }],
  },
};

// A team's open-source Vault was declared a primary of West Europe: the standard's primary is Vault
// Enterprise (VP-HCV-015 fails; vault-weu passes). It holds nothing yet.
const hvLab = hashiVault('vault-lab', 'westeurope', 'primary', { 'secret/': mount('secret/', 'kv', 2) });
hvLab.config.sku = null;
hvLab.hashicorp.version = '1.21.2';
hvLab.hashicorp.enterprise = false;
hvLab.hashicorp.seal_type = 'azurekeyvault';

const vaults = [cpWeu, cpNeu, conWeu, conNeu, pkgWeu, cabNeu, hvWeu, hvNeu, hvLab];

// --- Principals and grants ------------------------------------------------------------------------
const principals = {};
const grants = {};
function principal(id, type, display_name, auth_methods, subsystem, member_of = [], provider = 'azure-keyvault') {
  principals[id] = { id, provider, type, display_name, auth_methods, member_of, subsystem };
}
function grant(principalId, vault, scope, capabilities, role, source = 'rbac', extra = {}) {
  const id = `${vault.id}|${principalId}|${scope}|${role}`;
  grants[id] = { id, principal: principalId, vault: vault.id, scope, capabilities, source, role, ...extra };
}
const READ = ['list', 'read-metadata', 'read-value'];
// Azure (Entra ID). Scopes below `*` stand for role assignments on the subsystem's secrets.
principal('aad:platform-admins', 'group', 'Platform Admins', ['certificate'], 'platform-admin');
principal('aad:user-a.berg', 'user', 'a.berg@contoso.example', ['password', 'certificate'], undefined, ['aad:platform-admins']);
principal('aad:mi-orchestrator', 'managed-identity', 'orchestrator (managed identity)', ['managed-identity'], 'control-plane');
principal('aad:mi-api-gateway', 'managed-identity', 'api-gateway (managed identity)', ['managed-identity'], 'control-plane');
principal('aad:sp-policy-engine', 'service-principal', 'policy-engine', ['certificate', 'client-secret'], 'control-plane');
principal('aad:mi-siem-forwarder', 'managed-identity', 'siem-forwarder (managed identity)', ['managed-identity'], 'control-plane');
principal('aad:sp-jamf-connector', 'service-principal', 'jamf-connector', ['certificate'], 'connectors/jamf');
principal('aad:sp-intune-connector', 'service-principal', 'intune-connector', ['certificate', 'client-secret'], 'connectors/intune');
principal('aad:sp-landscape-connector', 'service-principal', 'landscape-connector', ['client-secret'], 'connectors/landscape');
principal('aad:sp-sccm-connector', 'managed-identity', 'sccm-connector (managed identity)', ['managed-identity'], 'connectors/sccm');
principal('aad:sp-packaging-pipeline', 'service-principal', 'packaging-pipeline', ['federated'], 'packaging');
principal('aad:sp-store-publisher', 'service-principal', 'store-publisher', ['certificate'], 'publisher');
principal('aad:sp-release-bot', 'service-principal', 'release-bot', ['certificate'], 'packaging');
principal('aad:sp-cab-portal', 'service-principal', 'cab-portal', ['certificate'], 'cab');
// The Intune app registration's credentials as Microsoft Graph lists them (issue 17, VP-ROT-012): a young
// certificate, and the §2 client secret, 75 days old, past the API-token interval (60 days).
principals['aad:sp-intune-connector'].credentials = [
  { id: 'intune-cert-2026-10', kind: 'certificate', owner: 'application', display_name: 'CN=intune-connector', usage: 'Verify', start: NOW - 30 * DAY, end: NOW + 335 * DAY },
  { id: 'intune-secret-2026-09', kind: 'client-secret', owner: 'application', display_name: 'graph-fallback', start: NOW - 75 * DAY, end: NOW + 290 * DAY },
];
for (const v of [cpWeu, cpNeu, conWeu, conNeu, pkgWeu, cabNeu]) {
  // A custom role: rotation and break-glass writes, metadata, access management; no value reads.
  grant('aad:platform-admins', v, '*', ['list', 'read-metadata', 'write', 'delete', 'manage-access'], 'Vault Rotation Administrator');
}
grant('aad:mi-orchestrator', cpWeu, 'project/control-plane/*', READ, 'Key Vault Secrets User');
grant('aad:mi-api-gateway', cpWeu, 'project/control-plane/api-gateway*', READ, 'Key Vault Secrets User');
grant('aad:sp-policy-engine', cpWeu, 'project/control-plane/policy-engine*', READ, 'Key Vault Secrets User');
grant('aad:mi-siem-forwarder', cpWeu, 'project/control-plane/siem/*', READ, 'Key Vault Secrets User');
grant('aad:mi-orchestrator', cpNeu, 'project/control-plane/*', READ, 'Key Vault Secrets User');
grant('aad:sp-jamf-connector', conWeu, 'project/connectors/jamf/*', READ, 'Key Vault Secrets User');
grant('aad:sp-intune-connector', conWeu, 'project/connectors/intune/*', READ, 'Key Vault Secrets User');
grant('aad:sp-sccm-connector', conWeu, 'project/connectors/sccm/*', READ, 'Key Vault Secrets User');
// The landscape connector was given the whole connectors vault, and writes its own token.
grant('aad:sp-landscape-connector', conWeu, '*', [...READ, 'write'], 'Key Vault Secrets Officer');
grant('aad:sp-jamf-connector', conNeu, 'project/connectors/jamf/*', READ, 'Key Vault Secrets User');
grant('aad:sp-packaging-pipeline', pkgWeu, 'project/packaging/signing/*', ['read-metadata', 'sign'], 'Key Vault Crypto User');
grant('aad:sp-packaging-pipeline', pkgWeu, 'project/packaging/scanners/*', READ, 'Key Vault Secrets User');
// The pipeline also refreshes the feed tokens itself instead of going through the admins' rotation job.
grant('aad:sp-packaging-pipeline', pkgWeu, 'project/packaging/feeds/*', [...READ, 'write'], 'Key Vault Secrets Officer');
grant('aad:sp-store-publisher', pkgWeu, 'project/packaging/publish/*', READ, 'Key Vault Secrets User');
// The release bot signs and publishes: both sides of the separation of duties.
grant('aad:sp-release-bot', pkgWeu, 'project/packaging/signing/*', ['read-metadata', 'sign'], 'Key Vault Crypto User');
grant('aad:sp-release-bot', pkgWeu, 'project/packaging/publish/*', READ, 'Key Vault Secrets User');
grant('aad:sp-cab-portal', cabNeu, '*', READ, 'access policy', 'access-policy');
// HashiCorp Vault: auth roles and an admin group, with grants as the collector computes them
// (scope in the object path space, KV v2 data/ and metadata/ segments removed).
const vp = (id) => `${hvWeu.id}:${id}`;
principal(ansibleRole, 'vault-role', 'approle role ansible-runner (auth/approle/)', ['approle'], 'connectors/ansible', [], 'hashicorp-vault');
principal(landscapeRole, 'vault-role', 'approle role landscape-sync (auth/approle/)', ['approle'], 'connectors/landscape', [], 'hashicorp-vault');
principal(siemRole, 'vault-role', 'kubernetes role siem-collector (auth/kubernetes/)', ['kubernetes'], 'control-plane', [], 'hashicorp-vault');
principal(ciRole, 'vault-role', 'jwt role ci-deployer (auth/jwt/)', ['jwt'], 'packaging', [], 'hashicorp-vault');
principal(scannerRole, 'vault-role', 'approle role vaultproof-scanner (auth/approle/)', ['approle'], 'platform-audit', [], 'hashicorp-vault');
principal(vp('group:vault-admins'), 'vault-group', 'vault-admins', [], 'platform-admin', [], 'hashicorp-vault');
principal(vp('group:ops-legacy'), 'vault-group', 'ops-legacy', [], 'operations', [], 'hashicorp-vault');
const vgrant = (principalId, policy, scope, capabilities) => grant(principalId, hvWeu, scope, capabilities, policy, 'vault-policy');
vgrant(vp('group:vault-admins'), 'platform-admin', 'secret/*', ['list', 'read-metadata', 'read-value', 'write', 'delete', 'purge']);
vgrant(vp('group:vault-admins'), 'platform-admin', 'sys/policies/acl/*', ['manage-access']);
vgrant(ansibleRole, 'connector-ansible', 'secret/project/connectors/ansible/*', ['list', 'read-metadata', 'read-value']);
vgrant(landscapeRole, 'landscape-sync', 'secret/project/connectors/landscape/*', ['read-value', 'write']);
vgrant(siemRole, 'siem-collector', 'secret/project/*', ['read-value']);
vgrant(ciRole, 'ci-deployer', 'ci/project/packaging/*', ['read-value']);
vgrant(ciRole, 'ci-deployer', 'sys/mounts/*', ['manage-access']);
vgrant(scannerRole, 'vaultproof-scanner', 'secret/*', ['list', 'read-metadata']);
vgrant(vp('group:ops-legacy'), 'ops-legacy', 'secret/*', ['list', 'read-value']);
// Identity entities (VP-HCV-032/033): a.berg logs in through OIDC (jwt) and is enabled (passes both); j.doe
// left, his userpass alias was deleted and his entity disabled, but it still holds the Ansible
// connector policy (fails both).
principal(vp('entity:e-a-berg'), 'vault-entity', 'a.berg', ['jwt'], 'platform-admin', [], 'hashicorp-vault');
principals[vp('entity:e-a-berg')].tags = {};
vgrant(vp('entity:e-a-berg'), 'platform-admin', 'sys/audit/*', ['manage-access']);
principal(vp('entity:e-j-doe'), 'vault-entity', 'j.doe', [], 'connectors/ansible', [], 'hashicorp-vault');
principals[vp('entity:e-j-doe')].tags = { disabled: 'true' };
vgrant(vp('entity:e-j-doe'), 'connector-ansible', 'secret/project/connectors/ansible/*', ['list', 'read-metadata', 'read-value']);

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
  // The performance secondary in UK South lost its connection three hours ago.
  'vault:vault-weu->vault-uks': {
    id: 'vault:vault-weu->vault-uks',
    primary: hvWeu.id,
    secondary: 'hashicorp-vault:vault-uks',
    method: 'vault-enterprise',
    writes_permitted_on_secondary: false,
    status: { state: 'idle', connection_state: 'disconnected', last_heartbeat: NOW - 3 * 3600, primary_last_wal: 918273, secondary_last_wal: 917960 },
  },
};

// --- Event facts for the last 31 days ------------------------------------------------------------
const WINDOW = { from: NOW - 31 * DAY, to: NOW };
const inWindow = (t) => t >= WINDOW.from && t <= WINDOW.to;
const rotations = {};
let change = 4100;
const undocumented = new Set([`${cpWeu.address}secrets/cp-config-token-03`, `${hvWeu.address}/v1/secret/metadata/project/control-plane/siem/collector-2`]);
const noCorrelation = new Set([`${conWeu.address}secrets/landscape-api-token-dev`]);
for (const v of vaults) {
  if (v.role === 'secondary') continue;
  for (const o of Object.values(v.objects)) {
    const first = Math.min(...Object.values(o.versions).map((x) => x.created));
    for (const [k, ver] of Object.entries(o.versions)) {
      if (ver.created === first || !inWindow(ver.created) || undocumented.has(o.id)) continue;
      rotations[o.id] ??= {};
      rotations[o.id][k] = {
        version: k,
        time: ver.created + 40,
        correlation_id: noCorrelation.has(o.id) ? null : `chg-2026-${change++}`,
        actor: v.provider === 'azure-keyvault' ? 'rotation-job (aad:mi-rotation)' : 'approle/rotation-job',
        record_id: `rot-${change}`,
      };
    }
  }
}
const emergency = cpWeu.objects[`${cpWeu.address}secrets/EmergencyAccess`];
const emergencyCurrent = emergency.versions[emergency.current_version].created;
const bgSql = cabNeu.objects[`${cabNeu.address}secrets/break-glass-sql-admin`];
const breakGlass = {
  // Used during the 2026-11-20 gateway outage: two approvers before use, rotated an hour later.
  [emergency.id]: {
    'bg-2026-0031': {
      id: 'bg-2026-0031', used_at: emergencyCurrent - 3600, actor: 'a.berg@contoso.example', correlation_id: 'inc-2026-0877',
      approvals: [{ approver: 'm.keller@contoso.example', approved_at: emergencyCurrent - 5400 }, { approver: 's.ortiz@contoso.example', approved_at: emergencyCurrent - 4800 }],
      rotated_at: emergencyCurrent,
    },
  },
  // Used nine days ago with a single approval recorded, and not rotated since.
  [bgSql.id]: {
    'bg-2026-0034': {
      id: 'bg-2026-0034', used_at: NOW - 9 * DAY, actor: 'j.nowak@contoso.example', correlation_id: 'inc-2026-0902',
      approvals: [{ approver: 'm.keller@contoso.example', approved_at: NOW - 9 * DAY - 600 }],
      rotated_at: null,
    },
  },
};
const auditCounts = (privileged, correlated, expected, denied = {}) => ({
  privileged_operations: privileged,
  with_correlation_id: correlated,
  expected_privileged_operations: expected,
  denied_requests: Object.values(denied).reduce((n, d) => n + d.count, 0),
  denied,
});
const deny = (principalName, path, operation, count, hoursAgo) => ({ [`${principalName}|${path}`]: { principal: principalName, path, operation, count, last_seen: NOW - hoursAgo * 3600 } });
const audit = {
  [cpWeu.id]: auditCounts(214, 214, 214),
  [cpNeu.id]: auditCounts(0, 0, 0),
  // Three rotations of the connectors vault logged without correlation id, and one publish missing.
  [conWeu.id]: auditCounts(96, 93, 97, { ...deny('landscape-connector', 'project/connectors/jamf/api-token-prod', 'SecretGet', 11, 30), ...deny('10.20.4.17 (unauthenticated)', 'secrets', 'SecretList', 3, 52) }),
  [pkgWeu.id]: auditCounts(388, 388, 388),
  [cabNeu.id]: auditCounts(41, 41, 41),
  [hvWeu.id]: auditCounts(1204, 1204, 1204, deny('jwt role ci-deployer', 'sys/mounts/secret', 'update', 37, 6)),
  [hvNeu.id]: auditCounts(0, 0, 0),
  [hvLab.id]: auditCounts(0, 0, 0),
  // kv-connectors-neu: the fallback's diagnostic setting was created this week; no log was read.
};
const review = (id, daysAgo) => ({ review_id: id, completed_at: NOW - daysAgo * DAY, reviewers: ['ciso@contoso.example', 'platform-lead@contoso.example'], open_items: 0 });
const accessReviews = {
  [cpWeu.id]: review('AR-2026-11-PLATFORM', 12),
  [cpNeu.id]: review('AR-2026-11-PLATFORM', 12),
  [conWeu.id]: review('AR-2026-10-CONNECTORS', 44),
  [conNeu.id]: review('AR-2026-10-CONNECTORS', 44),
  [pkgWeu.id]: review('AR-2026-11-PACKAGING', 5),
  [cabNeu.id]: review('AR-2026-11-CAB', 19),
  [hvWeu.id]: review('AR-2026-11-VAULT', 9),
  [hvLab.id]: review('AR-2026-11-VAULT', 9),
  // vault-neu (DR secondary) was never part of a review.
};
const forwarder = cpWeu.objects[`${cpWeu.address}secrets/siem-forwarder-key`];
const escalations = {
  [forwarder.id]: { ticket: 'CAB-2026-1142', raised_at: forwarder.expires + 26 * 3600, reason: 'SIEM forwarder key rotation job failing since expiry' },
};
// Process controls (VP-PRC-*): the platform's records of HSM failovers, compromise responses,
// rotation runs and vault-outage drills.
const sha = (c) => c.repeat(64);
const authenticode = pkgWeu.objects[`${pkgWeu.address}keys/signing-authenticode`];
const ssoSigning = cpWeu.objects[`${cpWeu.address}keys/legacy-sso-signing-key`];
const failoverAt = NOW - 12 * DAY;
const processFacts = {
  hsm_failovers: {
    // Packaging's HSM outage: approved by the key owner before first use, pipeline paused, new evidence pack.
    'FO-2026-02': {
      started_at: failoverAt, ended_at: failoverAt + 5 * 3600, secondary_key: authenticode.id, vault: pkgWeu.id,
      requester: 'r.hahn@contoso.example', first_use_at: failoverAt + 2 * 3600, evidence_pack_sha256: sha('a'),
      approvals: [{ approver: 'k.owner@contoso.example', approved_at: failoverAt + 3600 }],
    },
    // The SSO signing key failed over on the requester's own approval, after first use, without a pause or an evidence pack.
    'FO-2026-03': {
      started_at: NOW - 6 * DAY, ended_at: NOW - 6 * DAY + 3 * 3600, secondary_key: ssoSigning.id, vault: cpWeu.id,
      requester: 'a.berg@contoso.example', first_use_at: NOW - 6 * DAY + 600, evidence_pack_sha256: null,
      approvals: [{ approver: 'a.berg@contoso.example', approved_at: NOW - 6 * DAY + 1200 }],
    },
  },
  // October's attestation: no other failover (the vaults without one in the window rest on it).
  hsm_attestations: { '*': { attestation_id: 'HSM-ATT-2026-10', from: NOW - 59 * DAY, to: NOW - 29 * DAY, failovers: 0, attested_by: 'ciso@contoso.example', attested_at: NOW - 28 * DAY } },
  packaging_pauses: { 'PAUSE-2026-07': { pipeline: 'packaging-release', paused_at: failoverAt - 600, resumed_at: failoverAt + 6 * 3600, failover_id: 'FO-2026-02' } },
  // The 2026-11-20 gateway outage was handled as a suspected compromise of the emergency credential.
  compromises: { 'inc-2026-0877': { detected_at: emergencyCurrent - 7200, objects: { [emergency.id]: cpWeu.id }, source: 'siem:gateway-anomaly' } },
  notifications: { 'SEC-2026-0311': { notified_at: emergencyCurrent - 5000, notified: ['cab', 'security'], incident_id: 'inc-2026-0877', vault: cpWeu.id, ticket: 'SEC-2026-0311' } },
  break_glass: Object.fromEntries(
    Object.entries(breakGlass).flatMap(([objectId, uses]) =>
      Object.values(uses).map((u) => [`${objectId}|${u.id}`, { object: objectId, vault: vaults.find((v) => v.objects[objectId]).id, used_at: u.used_at, correlation_id: u.correlation_id, incident_id: null }]),
    ),
  ),
  // No vault-outage drill is on record yet: SM-6-c (publishes blocked while the vault is down) is not
  // evidenced anywhere in the fleet.
  outage_drills: {},
};
// One run per documented rotation, by the pipeline; the first object's run retried with exponential
// backoff, the second retried at a constant delay, the landscape dev token rotated by hand.
const rotationRuns = {};
Object.keys(rotations).sort().forEach((objectId, i) => {
  const hashi = objectId.startsWith(hvWeu.address);
  const pipeline = hashi ? 'approle:rotation-pipeline' : 'rotation-pipeline (aad:mi-rotation)';
  rotationRuns[objectId] = {};
  for (const [k, r] of Object.entries(rotations[objectId])) {
    const t = r.time - 70;
    const attempt = (n, dt, status) => ({ attempt: n, time: t + dt, status, actor: noCorrelation.has(objectId) ? 'j.nowak@contoso.example' : pipeline, version: status === 'succeeded' ? k : null });
    const attempts = i === 0 ? [attempt(1, -180, 'failed'), attempt(2, -120, 'failed'), attempt(3, 0, 'succeeded')] : i === 1 ? [attempt(1, -120, 'failed'), attempt(2, -60, 'failed'), attempt(3, 0, 'succeeded')] : [attempt(1, 0, 'succeeded')];
    rotationRuns[objectId][`run-${r.record_id ?? k}`] = { attempts };
  }
});
const events = {
  window: WINDOW,
  sources: [
    { id: 'law-siem-weu/AZKVAuditLogs', kind: 'azure-audit-event', status: 'complete', sections: ['audit'], records: 18422 },
    { id: 'vault-weu:file:/var/log/vault/audit.log', kind: 'vault-audit-log', status: 'complete', sections: ['audit', 'break_glass'], records: 96310 },
    { id: 'https://platform.contoso.example/api/rotation-records', kind: 'rotation-records', status: 'complete', sections: ['rotations'], records: Object.values(rotations).reduce((n, r) => n + Object.keys(r).length, 0) },
    { id: 'https://platform.contoso.example/api/approvals', kind: 'approval-records', status: 'complete', sections: ['break_glass'], records: 3 },
    { id: 'https://grc.contoso.example/access-reviews', kind: 'access-reviews', status: 'complete', sections: ['access_reviews'], records: 7 },
    { id: 'https://cab.contoso.example/api/escalations', kind: 'cab-escalations', status: 'complete', sections: ['escalations'], records: 1 },
    { id: 'https://platform.contoso.example/api/process-records', kind: 'other', status: 'complete', sections: ['process', 'rotation_runs'], records: 12 + Object.values(rotationRuns).reduce((n, r) => n + Object.values(r).reduce((m, x) => m + x.attempts.length, 0), 0) },
  ],
  rotations,
  break_glass: breakGlass,
  audit,
  access_reviews: accessReviews,
  escalations,
  process: processFacts,
  rotation_runs: rotationRuns,
};

// Services that consume secrets, as the consumers collector records them from their configuration
// files (docs/consumers.md): each VP-CON rule passes and fails somewhere, and one consumer of a kind
// vaultproof does not read is listed unjudged (VP-CON-003 error).
const consumerRecord = (id, kind, files, provider, vaultList, refresh, fallback, extra = {}) => ({
  id, name: id, kind, kind_source: 'detected', files, provider, vaults: vaultList, refresh, fallback, ...extra,
});
const hcFallback = { supported: true, detail: 'Vault Agent and Vault Proxy take one `vault.address` per configuration; a fallback is a second configuration in this consumer entry naming the secondary cluster' };
const consumers = Object.fromEntries([
  consumerRecord('payments-agent', 'vault-agent', ['deploy/payments/agent-dr.hcl', 'deploy/payments/agent.hcl'], 'hashicorp-vault', [hvNeu.address, hvWeu.address],
    { seconds: 120, basis: 'configured', setting: 'template_config.static_secret_render_interval', detail: 'deploy/payments/agent.hcl: 2 template(s) re-rendered every 2 min' }, hcFallback),
  consumerRecord('orders-proxy', 'vault-proxy', ['deploy/orders/proxy.hcl'], 'hashicorp-vault', [hvWeu.address],
    { seconds: 600, basis: 'configured', setting: 'cache.static_secret_token_capability_refresh_interval', detail: 'deploy/orders/proxy.hcl: static secrets cached and refreshed on KV events; access re-checked every 10 min' }, hcFallback),
  consumerRecord('checkout-csi', 'csi-secrets-store', ['k8s/checkout/secretproviderclass.yaml', 'k8s/csi-driver/values.yaml'], 'azure-keyvault', ['kv-platform-weu'],
    { seconds: null, basis: 'never', setting: 'enableSecretRotation', detail: 'k8s/csi-driver/values.yaml (helm values (secrets-store-csi-driver:)): secret rotation is not enabled (off by default): mounted secrets stay as they were when the pod started' },
    { supported: false, detail: 'a SecretProviderClass names one vault (keyvaultName / vaultAddress) and the CSI driver has no fallback: the mount fails while that vault is unreachable' }),
  consumerRecord('web-portal', 'azure-app-service', ['infra/web-portal/appsettings.json'], 'azure-keyvault', ['kv-connectors-weu.vault.azure.net'],
    { seconds: 0, basis: 'pinned', setting: 'SecretUri version / SecretVersion', detail: 'all 3 Key Vault reference(s) pin a secret version: a new version reaches the app only when the rotation pipeline updates the setting (the pipeline is not judged here)' },
    { supported: false, detail: 'a Key Vault reference names one vault and App Service has no fallback: an unresolved reference leaves the reference text as the setting value' }, { references: { total: 3, pinned: 3 } }),
  consumerRecord('catalog-spring', 'spring-cloud-azure-keyvault', ['apps/catalog/application.yml'], 'azure-keyvault', ['https://kv-platform-weu.vault.azure.net', 'https://kv-platform-neu.vault.azure.net'],
    { seconds: 300, basis: 'configured', setting: 'spring.cloud.azure.keyvault.secret.property-sources[0].refresh-interval', detail: 'apps/catalog/application.yml: property source 0 refreshed every 5 min' },
    { supported: true, detail: 'property sources are consulted in order: a fallback is a second property source naming the secondary vault' }),
  consumerRecord('legacy-batch', 'unknown', ['legacy/batch/secrets.ini'], null, [],
    { seconds: null, basis: 'unknown', setting: '', detail: 'not judged' }, { supported: false, detail: 'not judged' },
    { error: 'no file is a consumer configuration vaultproof reads (vault-proxy, vault-agent, csi-secrets-store, external-secrets, azure-app-service, dotnet-keyvault, spring-cloud-azure-keyvault): the consumer\'s kind is unknown, so it is not judged' }),
].map((c) => [c.id, c]));

// Secret-scanner reports on the code, as the secret-scans collector records them (metadata only,
// src/collectors/secret-scans): VP-SCN-001 passes on the control plane (its newest gitleaks report is
// clean; the older one's leak was fixed since), fails on the connectors (TruffleHog: a verified AWS
// key and an unverified GitHub token) and passes on packaging (a clean SARIF report from 3 days ago).
// A missing or stale report (error) is shown by the rule's tests: an unjudged critical check in the demo
// would hide what `--fail-on critical` does to the violations.
const scanFinding = (commit, file, rule, line, verified) => {
  const id = [...(commit ? [commit] : []), file, rule, line].join(':');
  return [id, { id, rule, file, line, commit, verified }];
};
const scanReport = (file, format, scanner, scannedAt, timeSource, findings) => ({
  file, format, scanner, scanned_at: scannedAt, time_source: timeSource, status: 'complete', findings: Object.fromEntries(findings),
});
const secretScans = {
  sources: {
    'acme/control-plane': {
      id: 'acme/control-plane', path: 'reports/control-plane/gitleaks-*.json', format: 'gitleaks', max_age_days: null, status: 'complete',
      reports: {
        'reports/control-plane/gitleaks-2026-11-20.json': scanReport('reports/control-plane/gitleaks-2026-11-20.json', 'gitleaks', 'gitleaks', NOW - 9 * DAY, 'file-mtime', [
          scanFinding('4e1d9c07b2a35f6e8d0c1b2a3f4e5d6c7b8a9f01', 'services/api/appsettings.Development.json', 'generic-api-key', 14, null),
        ]),
        'reports/control-plane/gitleaks-2026-11-28.json': scanReport('reports/control-plane/gitleaks-2026-11-28.json', 'gitleaks', 'gitleaks', NOW - DAY + 3600, 'file-mtime', []),
      },
    },
    'acme/connectors': {
      id: 'acme/connectors', path: 'reports/connectors/trufflehog.jsonl', format: 'trufflehog', max_age_days: null, status: 'complete',
      reports: {
        'reports/connectors/trufflehog.jsonl': scanReport('reports/connectors/trufflehog.jsonl', 'trufflehog', 'trufflehog', NOW - 2 * 3600, 'file-mtime', [
          scanFinding('a3c5e7f90b1d2f4a6c8e0a2b4d6f8a0c2e4b6d8f', 'connectors/landscape/config.py', 'AWS', 22, true),
          scanFinding(null, 'connectors/ansible/group_vars/all.yml', 'Github', 9, false),
        ]),
      },
    },
    'acme/packaging': {
      id: 'acme/packaging', path: 'reports/packaging/secrets.sarif', format: 'sarif', max_age_days: null, status: 'complete',
      reports: {
        'reports/packaging/secrets.sarif': scanReport('reports/packaging/secrets.sarif', 'sarif', 'gitleaks', NOW - 3 * DAY, 'report', []),
      },
    },
  },
};

const scopes = [
  { provider: 'azure-keyvault', scope: `/subscriptions/${SUB}`, status: 'complete' },
  { provider: 'azure-keyvault', scope: `/subscriptions/${CAB_SUB}`, status: 'complete' },
  ...vaults.map((v) => ({ provider: v.provider, scope: v.id, status: 'complete' })),
  { provider: 'events', scope: 'events', status: 'complete' },
  ...Object.keys(consumers).map((id) => ({ provider: 'consumers', scope: `consumer:${id}`, status: 'complete' })),
  ...Object.keys(secretScans.sources).map((id) => ({ provider: 'secret-scans', scope: `secret-scan:${id}`, status: 'complete' })),
];

const snapshot = {
  schema: 'vaultproof/snapshot/v1',
  scan_id: '00000000-0000-4000-8000-00000000de70',
  now: NOW,
  regions_in_scope: ['westeurope', 'northeurope', 'uksouth'],
  identities: [
    { provider: 'azure-keyvault', endpoint: 'https://management.azure.com', id: 'demo-scanner (app 5c0ffee0)', tenant_id: '72f988bf-0000-4000-8000-000000000000' },
    { provider: 'hashicorp-vault', endpoint: hvWeu.address, id: 'hmac-sha256:demo', display_name: 'approle-vaultproof-scanner', policies: ['vaultproof-scanner'] },
  ],
  scopes,
  vaults: Object.fromEntries(vaults.map((v) => [v.id, v])),
  principals,
  grants,
  replication,
  events,
  consumers,
  secret_scans: secretScans,
};
const written = PREVIOUS_MONTH ? previousMonth(snapshot, { SUB }) : snapshot;
writeFileSync(OUT, JSON.stringify(written, null, 2) + '\n');
const objects = Object.values(written.vaults).reduce((n, v) => n + Object.keys(v.objects).length, 0);
console.error(`demo fleet${PREVIOUS_MONTH ? ' (previous month)' : ''}: ${vaults.length} vaults, ${objects} objects, ${Object.keys(written.principals).length} principals, ${Object.keys(written.grants).length} grants -> ${OUT}`);
