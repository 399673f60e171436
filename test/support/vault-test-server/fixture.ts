/**
 * The standard seeded cluster for collector tests: KV v2/v1 mounts with canary secret values, PKI,
 * policies (including the README's scanning policy), auth roles of every supported method, identity,
 * tokens (one root), an audit device, key status and Enterprise replication.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { addToken, emptyClusterState, kvMount, ns, putKv2, type ClusterState, type MountState } from './state.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
export const SCANNING_POLICY = readFileSync(here('../../../src/collectors/hashicorp-vault/scanning-policy.hcl'), 'utf8');
export const CERTS = { ca: readFileSync(here('./certs/ca.pem'), 'utf8'), old: readFileSync(here('./certs/old.pem'), 'utf8'), fresh: readFileSync(here('./certs/fresh.pem'), 'utf8') };

export const SCANNER_TOKEN = 'hvs.scanner-token-0001';
/**
 * The README scanning policy adapted as it asks: its per-mount blocks name the example mounts
 * (secret/, team/kv/, legacy/, pki/), so the fixture's own KV v2 mount project/ gets its block.
 */
export const SCANNING_POLICY_WITH_KV1 = `${SCANNING_POLICY}\npath "project/metadata/*" { capabilities = ["read", "list"] }\npath "project/config" { capabilities = ["read"] }\n`;
export const ROOT_TOKEN = 'hvs.root-token-0001';
/** Credentials the test logins use (not secret values of the vault). */
export const LOGINS = {
  approle: { role_id: 'rid-scanner', secret_id: 'sid-scanner' },
  kubernetes: { role: 'vaultproof', jwt: 'k8s-service-account-jwt' },
  jwt: { role: 'vaultproof', jwt: 'ci-oidc-jwt' },
  azure: { role: 'vaultproof', jwt: 'azure-mi-access-token' },
};

export interface Fixture {
  state: ClusterState;
  /** Every secret value planted; none may appear in any collector output. */
  canaries: string[];
}

export const canary = (): string => `CANARY-${randomUUID()}`;

export function seedPrimary(opts: { edition?: 'oss' | 'enterprise'; secondaryAddress?: string; now?: number } = {}): Fixture {
  const state = emptyClusterState(opts.edition ?? 'enterprise');
  const root = ns(state);
  const canaries: string[] = [];
  const value = () => {
    const c = canary();
    canaries.push(c);
    return { value: c };
  };
  const project = kvMount('kv', '2', { description: 'project secrets', kvConfig: { max_versions: 5, delete_version_after: '168h0m0s', cas_required: true } });
  const secret = kvMount('kv', '2', { config: { default_lease_ttl: 0, max_lease_ttl: 0 } });
  const legacy = kvMount('kv', '1');
  const pki = kvMount('pki', null, { config: { default_lease_ttl: 2592000, max_lease_ttl: 31536000 } });
  root.mounts.set('project/', project);
  root.mounts.set('secret/', secret);
  root.mounts.set('legacy/', legacy);
  root.mounts.set('pki/', pki);
  const transit = kvMount('transit', null);
  root.mounts.set('transit/', transit);
  const day = 86400;
  const now = opts.now ?? Date.parse('2026-11-29T00:00:00Z') / 1000;
  putKv2(project, 'control-plane/api-gateway-cert', [value(), value(), value()], { created: now - 200 * day, custom_metadata: { owner: 'platform', rotation: 'documented' } });
  putKv2(project, 'connectors/jamf/api-token', [value(), value()], { created: now - 70 * day, deleted: [1] });
  putKv2(project, 'connectors/intune/client-secret', [value(), value()], { created: now - 10 * day, destroyed: [1] });
  putKv2(project, 'emergency/break-glass', [value()], { created: now - 5 * day, custom_metadata: { dual_control: 'true' } });
  putKv2(project, 'packaging/signing-key-passphrase', [value()], { created: now - 20 * day });
  putKv2(project, 'publish/store-credentials', [value()], { created: now - 20 * day });
  putKv2(secret, 'app/db-password', [value(), value()], { created: now - 40 * day });
  (legacy.kv1 as Map<string, Record<string, unknown>>).set('old/api-key', value());
  (pki.pki as NonNullable<MountState['pki']>).issuers.set('root-ca', CERTS.ca);
  for (const [serial, pem] of [['10:00', CERTS.ca], ['10:01', CERTS.old], ['10:02', CERTS.fresh]] as const) (pki.pki as NonNullable<MountState['pki']>).certs.set(serial, pem);
  // Transit keys as Vault 1.21 returns them: a symmetric key's versions are epoch seconds, an asymmetric key's are objects with an RFC 3339 creation_time.
  const rfc3339 = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', '.123456789Z');
  const transitBase = { allow_plaintext_backup: false, deletion_allowed: false, derived: false, imported_key: false, min_available_version: 0, min_encryption_version: 0 };
  (transit.transit as Map<string, Record<string, unknown>>).set('app-encryption', {
    ...transitBase, name: 'app-encryption', type: 'aes256-gcm96', exportable: false, auto_rotate_period: 2592000, latest_version: 2, min_decryption_version: 1,
    keys: { '1': now - 60 * day, '2': now - 30 * day }, supports_encryption: true, supports_decryption: true, supports_derivation: true, supports_signing: false,
  });
  (transit.transit as Map<string, Record<string, unknown>>).set('webhook-signing', {
    ...transitBase, name: 'webhook-signing', type: 'ecdsa-p256', exportable: true, allow_plaintext_backup: true, auto_rotate_period: 0, latest_version: 1, min_decryption_version: 1,
    keys: { '1': { creation_time: rfc3339(now - 15 * day), name: 'P-256', public_key: '-----BEGIN PUBLIC KEY-----\nMFkw-test-public-key\n-----END PUBLIC KEY-----\n' } }, supports_encryption: false, supports_decryption: false, supports_derivation: false, supports_signing: true,
  });

  root.policies.set('vaultproof-scanner', SCANNING_POLICY_WITH_KV1);
  root.policies.set('control-plane', 'path "project/data/control-plane/*" {\n  capabilities = ["read"]\n}\npath "project/metadata/control-plane/*" {\n  capabilities = ["read", "list"]\n}\n');
  root.policies.set('packaging', 'path "project/data/packaging/*" { capabilities = ["read"] }\npath "project/data/*" { capabilities = ["list"] }\npath "project/data/publish/*" { capabilities = ["deny"] }\n');
  root.policies.set('publisher', 'path "project/data/publish/*" { capabilities = ["read"] }\n');
  root.policies.set('connectors-jamf', 'path "project/data/connectors/jamf/*" { capabilities = ["read"] }\n');
  root.policies.set('platform-admin', 'path "project/*" {\n  capabilities = ["create", "read", "update", "delete", "list"]\n}\npath "sys/policies/acl/*" {\n  capabilities = ["create", "update", "read", "list"]\n}\npath "project/data/emergency/*" {\n  capabilities = ["deny"]\n}\n');
  root.policies.set('break-glass', 'path "project/+/emergency/*" { capabilities = ["read", "list"] }\n');
  root.policies.set('legacy-reader', 'path "legacy/*" {\n  policy = "read"\n}\n');

  const authMount = (type: string, roles: Record<string, Record<string, unknown>>, login?: Record<string, string>) => ({
    type,
    description: `${type} auth`,
    accessor: `auth_${type}_0001`,
    roles: new Map(Object.entries(roles)),
    logins: new Map<string, string[]>(login ? [[JSON.stringify(login), ['default', 'vaultproof-scanner']]] : []),
  });
  root.auth.set('approle/', authMount('approle', {
    'ci-packaging': { token_policies: ['packaging'], token_ttl: 3600, token_max_ttl: 14400, secret_id_ttl: 0, bind_secret_id: true, secret_id_num_uses: 0 },
    'connector-jamf': { token_policies: ['connectors-jamf'], token_ttl: 1200, token_max_ttl: 3600, secret_id_ttl: 5184000, bind_secret_id: true },
    vaultproof: { token_policies: ['vaultproof-scanner'], token_ttl: 900, token_max_ttl: 1800, secret_id_ttl: 86400 },
  }, LOGINS.approle));
  root.auth.set('kubernetes/', authMount('kubernetes', { orchestrator: { bound_service_account_names: ['orchestrator'], bound_service_account_namespaces: ['control-plane'], token_policies: ['control-plane'], token_ttl: 3600, token_max_ttl: 0 } }, LOGINS.kubernetes));
  root.auth.set('jwt/', authMount('jwt', { 'github-publish': { role_type: 'jwt', bound_audiences: ['vault'], user_claim: 'sub', token_policies: ['publisher', 'packaging'], token_ttl: 600, token_no_default_policy: true } }, LOGINS.jwt));
  root.auth.set('azure/', authMount('azure', { 'cp-managed-identity': { bound_subscription_ids: ['sub-1'], token_policies: ['control-plane'], token_ttl: '1h', token_max_ttl: '2h' } }, LOGINS.azure));
  root.auth.set('cert/', authMount('cert', { 'web-client': { display_name: 'web', token_policies: ['control-plane'], token_ttl: 3600, certificate: CERTS.fresh } }));
  root.auth.set('userpass/', authMount('userpass', { alice: { token_policies: ['platform-admin'], token_ttl: 28800, token_max_ttl: 86400 } }));

  root.entities.set('ent-alice', { id: 'ent-alice', name: 'alice', policies: [], disabled: false, aliases: [{ id: 'al-1', name: 'alice', mount_type: 'userpass', mount_accessor: 'auth_userpass_0001' }], direct_group_ids: ['grp-admins'], group_ids: ['grp-admins', 'grp-staff'], metadata: null });
  root.entities.set('ent-bob', { id: 'ent-bob', name: 'bob', policies: ['break-glass'], disabled: false, aliases: [{ id: 'al-2', name: 'bob@example.test', mount_type: 'oidc', mount_accessor: 'auth_oidc_0001' }], direct_group_ids: [], group_ids: [] });
  root.groups.set('grp-admins', { id: 'grp-admins', name: 'platform-admins', type: 'internal', policies: ['platform-admin'], member_entity_ids: ['ent-alice'], member_group_ids: [], parent_group_ids: ['grp-staff'] });
  root.groups.set('grp-staff', { id: 'grp-staff', name: 'all-staff', type: 'internal', policies: ['legacy-reader'], member_entity_ids: [], member_group_ids: ['grp-admins'], parent_group_ids: [] });
  root.groups.set('grp-sso', { id: 'grp-sso', name: 'sso-publishers', type: 'external', policies: ['publisher'], member_entity_ids: [], member_group_ids: [], alias: { name: 'publishers', mount_type: 'oidc' } });

  root.audit.set('file/', { type: 'file', description: '', options: { file_path: '/var/log/vault_audit.log' }, local: false, path: 'file/' });

  addToken(state, SCANNER_TOKEN, ['default', 'vaultproof-scanner'], { display_name: 'token-vaultproof', entity_id: '' });
  addToken(state, ROOT_TOKEN, ['root'], { display_name: 'root', creation_time: now - 400 * day });
  addToken(state, 'hvs.app-token-0001', ['default', 'control-plane'], { display_name: 'approle-ci', expire_time: new Date((now + 3600) * 1000).toISOString() });
  state.keyStatus = { term: 3, install_time: new Date((now - 45 * day) * 1000).toISOString().replace('.000Z', '.5Z') };
  // As Vault Enterprise 1.16 answers sys/replication/status on a performance primary (WAL indexes are
  // numbers; the per-secondary durations are strings of milliseconds).
  state.replication = {
    dr: { mode: 'disabled' },
    performance: {
      cluster_id: 'perf-1',
      known_secondaries: ['west'],
      last_performance_wal: 1500,
      last_reindex_epoch: '0',
      last_wal: 1500,
      merkle_root: '3a1b2c4d5e6f708192a3b4c5d6e7f8091a2b3c4d',
      mode: 'primary',
      primary_cluster_addr: '',
      secondaries: [{
        api_address: opts.secondaryAddress ?? 'https://vault-west.example.test:8200',
        clock_skew_ms: '12',
        cluster_address: 'https://vault-west:8201',
        connection_status: 'connected',
        last_heartbeat: new Date((now - 3) * 1000).toISOString(),
        last_heartbeat_duration_ms: '3012',
        node_id: 'west',
        replication_primary_canary_age_ms: '850',
      }],
      ssct_generation_counter: 0,
      state: 'running',
    },
  };
  return { state, canaries };
}

/** A performance secondary: few secrets, reports its last remote WAL. */
export function seedSecondary(lastRemoteWal: number): Fixture {
  const state = emptyClusterState('enterprise');
  const root = ns(state);
  root.policies.set('vaultproof-scanner', SCANNING_POLICY_WITH_KV1);
  root.mounts.set('project/', kvMount('kv', '2'));
  root.audit.set('file/', { type: 'file', description: '', options: { file_path: '/var/log/vault_audit.log' }, local: false, path: 'file/' });
  addToken(state, SCANNER_TOKEN, ['default', 'vaultproof-scanner']);
  state.replication = {
    dr: { mode: 'disabled' },
    performance: {
      cluster_id: 'perf-1',
      connection_state: 'ready',
      known_primary_cluster_addrs: ['https://vault-east:8201'],
      last_reindex_epoch: '0',
      last_remote_wal: lastRemoteWal,
      merkle_root: '3a1b2c4d5e6f708192a3b4c5d6e7f8091a2b3c4d',
      mode: 'secondary',
      primaries: [{ api_address: 'https://vault-east.example.test:8200', cluster_address: 'https://vault-east:8201', connection_status: 'connected', last_heartbeat: '2026-11-28T23:59:57Z' }],
      primary_cluster_addr: 'https://vault-east:8201',
      secondary_id: 'west',
      state: 'stream-wals',
    },
  };
  return { state, canaries: [] };
}

/**
 * Bulk KV v2 data for benchmarks: `mounts` mounts (`<prefix>-<m>/`) × `secrets` secrets × `versions`
 * versions, spread over 20 teams, added to the root namespace of `state`.
 */
export function seedBulkKv(state: ClusterState, opts: { mounts: number; secrets: number; versions: number; prefix: string }): void {
  const root = state.namespaces.get('')!;
  for (let m = 0; m < opts.mounts; m++) {
    const mount = kvMount('kv', '2', { kvConfig: { max_versions: 10, delete_version_after: '0s', cas_required: false } });
    for (let s = 0; s < opts.secrets; s++) {
      const versions = Array.from({ length: opts.versions }, (_, v) => ({ value: `${opts.prefix}-${m}-${s}-${v}` }));
      putKv2(mount, `team-${s % 20}/app-${Math.floor(s / 20)}/secret-${s}`, versions, { custom_metadata: { owner: `team-${s % 20}` } });
    }
    root.mounts.set(`${opts.prefix}-${m}/`, mount);
  }
  // The scanning policy names each KV v2 mount it reads (README): one block per bulk mount.
  const scanner = root.policies.get('vaultproof-scanner');
  if (scanner !== undefined) {
    const blocks = Array.from({ length: opts.mounts }, (_, m) => `path "${opts.prefix}-${m}/metadata/*" { capabilities = ["read", "list"] }\npath "${opts.prefix}-${m}/config" { capabilities = ["read"] }\n`);
    root.policies.set('vaultproof-scanner', `${scanner}\n${blocks.join('')}`);
  }
}
