/**
 * Seeds a realistic estate into a real Vault dev server through its HTTP API, with the root token:
 * KV v2 (`secret/`, the dev server's own, and the multi-segment `team/kv/`) with custom metadata,
 * several versions, soft-deleted and destroyed ones; KV v1 `legacy/` (with secrets named like the
 * metadata endpoints a mount-level glob would reach); ACL policies (scoped, wildcard, templated,
 * sudo, deny); AppRole, userpass, cert and token roles with bounded and unbounded TTLs; identity entities,
 * aliases and a group; a file audit device (to `<dir>/audit.log`) and a `discard` one, with the
 * `x-correlation-id` request header audited; transit keys (exportable and not); PKI with an issued
 * certificate. Every secret value is a canary that must appear in no output.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { RealVault } from './server.js';

export interface Estate {
  canaries: string[];
  auditLog: string;
  /** KV v1 paths (relative to `legacy/`) whose values the scanner must never read. */
  kv1Secrets: string[];
  /** KV v2 secrets as `<mount>/<path>`. */
  kv2Secrets: string[];
  entities: { alice: string; carol: string };
  groupId: string;
  pkiSerial: string;
}

export const ESTATE_POLICIES: Record<string, string> = {
  'app-billing': 'path "secret/data/apps/billing/*" { capabilities = ["read"] }\npath "secret/metadata/apps/billing/*" { capabilities = ["read", "list"] }\n',
  'team-writers': 'path "team/kv/data/*" { capabilities = ["create", "update", "read"] }\n',
  'per-user': 'path "secret/data/users/{{identity.entity.name}}/*" { capabilities = ["create", "update", "read", "delete"] }\n',
  'mount-admin': 'path "sys/mounts/*" { capabilities = ["create", "read", "update", "delete", "sudo"] }\n',
  'no-legacy': 'path "legacy/*" { capabilities = ["deny"] }\npath "secret/data/*" { capabilities = ["read"] }\n',
};

export async function seedEstate(vault: RealVault): Promise<Estate> {
  const { api } = vault;
  const canaries: string[] = [];
  const value = () => {
    const c = `CANARY-${randomUUID()}`;
    canaries.push(c);
    return c;
  };
  const auditLog = join(vault.dir, 'audit.log');
  // Audit first, so every later request (the scan's included) is in the log.
  await api('PUT', 'sys/audit/file', { type: 'file', options: { file_path: auditLog } });
  await api('PUT', 'sys/audit/blackhole', { type: 'file', options: { file_path: 'discard' } });
  await api('PUT', 'sys/config/auditing/request-headers/x-correlation-id', { hmac: false });

  await api('POST', 'sys/mounts/team/kv', { type: 'kv', options: { version: '2' } });
  await api('POST', 'team/kv/config', { max_versions: 5, delete_version_after: '720h' });
  await api('POST', 'sys/mounts/legacy', { type: 'kv', options: { version: '1' } });

  // Versions are written a second apart (round by round), as rotations are: the metadata's times
  // are what tells which version replaced which.
  const kv2 = [
    { mount: 'secret', path: 'apps/billing/db-password', versions: 3, custom: { owner: 'billing', rotation: 'documented' } },
    { mount: 'secret', path: 'users/alice/notes', versions: 1 },
    { mount: 'team/kv', path: 'connectors/intune/client-secret', versions: 2, custom: { owner: 'connectors' } },
    { mount: 'team/kv', path: 'scanners/trivy/token', versions: 1, custom: { 'token-scope': 'read-only' } },
  ];
  for (let round = 0; round < 3; round++) {
    if (round > 0) await new Promise((r) => setTimeout(r, 1100));
    for (const s of kv2) if (round < s.versions) await api('POST', `${s.mount}/data/${s.path}`, { data: { value: value() } });
  }
  for (const s of kv2) if (s.custom) await api('POST', `${s.mount}/metadata/${s.path}`, { custom_metadata: s.custom });
  await api('POST', 'secret/delete/apps/billing/db-password', { versions: [1] });
  await api('POST', 'team/kv/destroy/connectors/intune/client-secret', { versions: [1] });
  const kv1Secrets = ['ops/old-password', 'metadata/trap', 'config', 'cert/trap'];
  for (const p of kv1Secrets) await api('POST', `legacy/${p}`, { value: value() });

  for (const [name, policy] of Object.entries(ESTATE_POLICIES)) await api('PUT', `sys/policies/acl/${name}`, { policy });

  await api('POST', 'sys/auth/approle', { type: 'approle' });
  await api('POST', 'auth/approle/role/ci-deploy', { token_policies: 'team-writers', token_ttl: '1h', token_max_ttl: '4h', secret_id_ttl: '24h' });
  await api('POST', 'auth/approle/role/batch-forever', { token_policies: 'app-billing', token_ttl: 0, token_max_ttl: 0, secret_id_ttl: 0 });
  await api('POST', 'sys/auth/userpass', { type: 'userpass' });
  await api('POST', 'auth/userpass/users/alice', { password: value(), token_policies: 'per-user', token_ttl: '1h', token_max_ttl: '8h' });
  await api('POST', 'auth/userpass/users/bob', { password: value(), token_policies: 'no-legacy' });
  await api('POST', 'auth/token/roles/bounded', { allowed_policies: 'app-billing', token_explicit_max_ttl: '1h' });
  await api('POST', 'auth/token/roles/unbounded', { allowed_policies: 'app-billing' });

  const auth = (await api('GET', 'sys/auth')).body.data as Record<string, { accessor: string }>;
  const userpassAccessor = auth['userpass/']?.accessor as string;
  const alice = ((await api('POST', 'identity/entity', { name: 'alice', metadata: { team: 'billing' }, policies: ['app-billing'] })).body.data as { id: string }).id;
  const carol = ((await api('POST', 'identity/entity', { name: 'carol', policies: [] })).body.data as { id: string }).id;
  await api('POST', 'identity/entity-alias', { name: 'alice', canonical_id: alice, mount_accessor: userpassAccessor });
  const groupId = ((await api('POST', 'identity/group', { name: 'ops', policies: ['mount-admin'], member_entity_ids: [alice, carol] })).body.data as { id: string }).id;

  await api('POST', 'sys/mounts/transit', { type: 'transit' });
  await api('POST', 'transit/keys/release-signing', { type: 'ecdsa-p256', exportable: true });
  await api('POST', 'transit/keys/app-encryption', { type: 'aes256-gcm96', exportable: false });

  await api('POST', 'sys/mounts/pki', { type: 'pki', config: { max_lease_ttl: '87600h' } });
  const ca = (await api('POST', 'pki/root/generate/internal', { common_name: 'vaultproof-test-root', ttl: '87600h', issuer_name: 'root-2026' })).body.data as { certificate: string };
  await api('POST', 'sys/auth/cert', { type: 'cert' });
  await api('POST', 'auth/cert/certs/web-client', { certificate: ca.certificate, token_policies: 'app-billing', token_ttl: '1h', token_max_ttl: '2h' });
  await api('POST', 'pki/roles/web', { allowed_domains: 'example.internal', allow_subdomains: true, max_ttl: '720h' });
  const issued = (await api('POST', 'pki/issue/web', { common_name: 'app.example.internal', ttl: '240h' })).body.data as { serial_number: string };

  return {
    canaries,
    auditLog,
    kv1Secrets,
    kv2Secrets: ['secret/apps/billing/db-password', 'secret/users/alice/notes', 'team/kv/connectors/intune/client-secret', 'team/kv/scanners/trivy/token'],
    entities: { alice, carol },
    groupId,
    pkiSerial: issued.serial_number,
  };
}

export interface ScannerLogin {
  roleId: string;
  secretId: string;
}

/** Writes the documented scanning policy and AppRole role (verbatim), and issues the role's credentials. */
export async function createDocumentedScanner(vault: RealVault, doc: { policy: string; policyName: string; rolePath: string; roleParams: Record<string, string> }): Promise<ScannerLogin> {
  await vault.api('PUT', `sys/policies/acl/${doc.policyName}`, { policy: doc.policy });
  await vault.api('POST', doc.rolePath, doc.roleParams);
  const roleId = ((await vault.api('GET', `${doc.rolePath}/role-id`)).body.data as { role_id: string }).role_id;
  const secretId = ((await vault.api('POST', `${doc.rolePath}/secret-id`, {})).body.data as { secret_id: string }).secret_id;
  return { roleId, secretId };
}
