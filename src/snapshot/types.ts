/**
 * The snapshot model (`vaultproof/snapshot/v1`): metadata about vaults, never a secret value.
 *
 * Every timestamp is epoch seconds (the WASM target has no time builtins). `now` pins the clock of the
 * whole evaluation. Lookups are objects keyed by id (the WASM target has no rule indexing).
 * The JSON Schema in `schemas/snapshot-v1.schema.json` is the source of truth for validation; these
 * types mirror it.
 */

export const SNAPSHOT_SCHEMA_ID = 'vaultproof/snapshot/v1';

export type EpochSeconds = number;
export type Provider = 'azure-keyvault' | 'hashicorp-vault';
export type ScopeProvider = Provider | 'events' | 'consumers' | 'secret-scans';

export interface Snapshot {
  schema: typeof SNAPSHOT_SCHEMA_ID;
  scan_id: string;
  now: EpochSeconds;
  /** Regions that must each have a primary vault (`PrimaryVaultPerRegion`). */
  regions_in_scope?: string[];
  /** Shard snapshots only (`collect --shard K/N`): the shard and the units it collected; `merge` checks them. */
  partition?: { index: number; count: number; units: string[] };
  /** Which identities collected the snapshot and what they could see. */
  identities?: ScanIdentity[];
  scopes: CollectionScope[];
  vaults: Record<string, Vault>;
  principals: Record<string, Principal>;
  grants: Record<string, Grant>;
  replication: Record<string, ReplicationPair>;
  events?: EventFacts;
  /** Services that consume secrets, read from their configuration files (`consumers:`), keyed by consumer id. */
  consumers?: Record<string, Consumer>;
  /** The secret scanners' reports on the code (`secret_scans:`): metadata of what they found, never a secret. */
  secret_scans?: SecretScanFacts;
}

/**
 * The reports of the secret scanners run on the code (gitleaks JSON, TruffleHog JSON lines, SARIF),
 * read by src/collectors/secret-scans: one source per configured entry (a repository), each with the
 * reports its path matched. Metadata only: no secret, match, raw value, redacted value or snippet.
 */
export interface SecretScanFacts {
  /** Entry id (its `repository`, else its path) -> the entry and its reports. */
  sources: Record<string, SecretScanSource>;
}

export type SecretScanFormat = 'gitleaks' | 'trufflehog' | 'sarif';

export interface SecretScanSource {
  id: string;
  /** The configured path (a file, a directory or a glob), as written in the config. */
  path: string;
  /** The configured format; `auto`: detected per file. */
  format: SecretScanFormat | 'auto';
  /** The entry's own age limit in days (it can only tighten `thresholds.secret_scan_max_age_days`); null: none. */
  max_age_days: number | null;
  /** Whether the path could be listed: `incomplete` with the reason when not (no file matches, unreadable). */
  status: 'complete' | 'incomplete';
  reason?: string;
  /** File (as listed from the configured path) -> the report it holds. */
  reports: Record<string, SecretScanReport>;
}

export interface SecretScanReport {
  file: string;
  format: SecretScanFormat;
  /** gitleaks, trufflehog, or the SARIF run's tool.driver.name. */
  scanner: string;
  /** When the scan ran: from the report when it records it (SARIF invocations), else the file's modification time. */
  scanned_at: EpochSeconds;
  time_source: 'report' | 'file-mtime';
  /** `incomplete` when the report is malformed (in part: the findings read before the problem are kept), with the file and the path or line. */
  status: 'complete' | 'incomplete';
  reason?: string;
  /** Results the scanner itself marked as suppressed (SARIF suppressions): not findings. */
  suppressed?: number;
  /** Finding id (`[commit:]file:rule:line`, gitleaks' own fingerprint form) -> the finding. */
  findings: Record<string, SecretScanFinding>;
}

export interface SecretScanFinding {
  id: string;
  /** The scanner's rule or detector (gitleaks RuleID, TruffleHog DetectorName, SARIF ruleId). */
  rule: string;
  /** The file the secret is in; null when the scanner did not say (a non-file source). */
  file: string | null;
  line: number | null;
  commit: string | null;
  /** Whether the scanner verified the secret live; null when it does not verify (gitleaks) or did not say. */
  verified: boolean | null;
  /** SARIF result level (error, warning, note). */
  level?: string;
}

export type ConsumerKind = 'vault-agent' | 'vault-proxy' | 'csi-secrets-store' | 'external-secrets' | 'azure-app-service' | 'dotnet-keyvault' | 'spring-cloud-azure-keyvault';

/**
 * A service that consumes secrets, as its own configuration files say (src/collectors/consumers).
 * Metadata only: the cache/refresh setting and the vaults named, never a secret value.
 */
export interface Consumer {
  /** The config entry's name, else its first path. */
  id: string;
  name: string;
  kind: ConsumerKind | 'unknown';
  kind_source?: 'configured' | 'detected';
  /** Files read, relative to the config file. */
  files: string[];
  /** The vault technology it reads from; null when not known. */
  provider: Provider | null;
  /** Vaults the configuration names (addresses or names), in the order of its files. */
  vaults: string[];
  refresh: ConsumerRefresh;
  fallback: { supported: boolean; detail: string };
  /** Azure App Service / Functions Key Vault references. */
  references?: { total: number; pinned: number };
  /** Why it could not be judged: a file unreadable or malformed (file and line), or an unknown kind. */
  error?: string;
}

/**
 * How long a new secret version can take to reach the consumer. `configured`: an option sets it;
 * `default`: no option set, the product's documented default; `no-cache`: the consumer does not cache
 * (0); `pinned`: every reference names a version (0: the value cannot go stale); `never`: it does not
 * refresh at all (seconds null, fails); `unknown`: could not be determined (seconds null, error).
 */
export interface ConsumerRefresh {
  seconds: number | null;
  basis: 'configured' | 'default' | 'no-cache' | 'pinned' | 'never' | 'unknown';
  /** The option that sets it (or would). */
  setting: string;
  detail: string;
}

export interface ScanIdentity {
  provider: ScopeProvider;
  endpoint: string;
  id: string;
  display_name?: string;
  tenant_id?: string;
  policies?: string[];
  /** Azure: the object id (`oid`) and application id (`appid`/`azp`) the access tokens named. */
  object_id?: string;
  application_id?: string;
  user_principal_name?: string;
  /** The credential kind configured (Azure: managed-identity, workload-identity, certificate, default; Vault: token, approle …). */
  credential?: string;
  /** Vault: SHA-256 of the token accessor (`lookup-self`), hashed like root-token accessors; never the accessor or the token. */
  token_accessor_sha256?: string;
  /** Where the statement comes from: the access token's claims, Vault's lookup-self, or only the configuration. */
  source?: 'access-token-claims' | 'lookup-self' | 'configuration';
}

export interface CollectionScope {
  provider: ScopeProvider;
  /** Stable scope id: subscription id, vault id, vault id + object list, Vault address + mount. */
  scope: string;
  status: 'complete' | 'incomplete';
  reason?: string;
}

export type VaultRole = 'primary' | 'secondary';

export interface Vault {
  id: string;
  provider: Provider;
  name: string;
  /** Vault URI (Azure) or API address (HashiCorp Vault). */
  address: string;
  region: string;
  role: VaultRole;
  /** Subsystem the vault serves (control-plane, packaging, connectors, cab, shared). */
  subsystem?: string;
  tags?: Record<string, string>;
  config: VaultConfig;
  audit: AuditConfig;
  objects: Record<string, VaultObject>;
  /** Azure: a Key Vault or a Managed HSM (absent: key-vault). */
  kind?: 'key-vault' | 'managed-hsm';
  /** Soft-deleted objects still recoverable (Azure), keyed by object id; not part of `objects`. */
  deleted_objects?: Record<string, VaultObject>;
  /** HashiCorp Vault only. */
  hashicorp?: HashicorpVaultFacts;
}

export interface VaultConfig {
  soft_delete: boolean | null;
  soft_delete_retention_days: number | null;
  purge_protection: boolean | null;
  permission_model: 'rbac' | 'access-policy' | 'vault-acl' | null;
  public_network_access: 'enabled' | 'disabled' | null;
  network_default_action: 'allow' | 'deny' | null;
  private_endpoints: number | null;
  sku: string | null;
  /**
   * Azure: whether the subscription's Microsoft Defender for Key Vault plan (`Microsoft.Security/pricings/KeyVaults`)
   * is on (pricing tier Standard); null when it could not be read, absent in snapshots taken before it was collected.
   */
  defender_for_key_vault?: boolean | null;
}

export interface AuditConfig {
  /** null when the collector could not read the audit configuration (the scope is then incomplete). */
  destinations: AuditDestination[] | null;
}

export interface AuditDestination {
  id: string;
  type: 'log-analytics' | 'event-hub' | 'storage' | 'file' | 'syslog' | 'socket' | 'other';
  enabled: boolean;
  /** Log categories or category groups shipped (Azure: AuditEvent, audit, allLogs). */
  categories: string[];
  /** Retention the destination declares for its audit records, null when it declares none (or it is unknown). */
  retention_days: number | null;
  /** Retention per enabled category or category group where the sink keeps one per category (Azure storage); null: none declared. */
  category_retention_days?: Record<string, number | null>;
  /** HashiCorp Vault audit device options (`file_path`, `format`, ...), as `GET sys/audit` reports them. */
  options?: Record<string, string>;
  /** Azure: the lower-cased resource id of the sink (workspace, storage account, event hub rule); absent in older snapshots. */
  target?: string;
  /**
   * Azure storage sink: how the storage account receiving the audit records is protected (VP-AZ-026, VP-AZ-027);
   * null when the account could not be read, absent in snapshots taken before it was collected.
   */
  storage?: AuditStorageProtection | null;
  /**
   * Azure Log Analytics sink: the table the Key Vault audit records land in (`AZKVAuditLogs` when the
   * diagnostic setting is resource-specific, `logAnalyticsDestinationType: Dedicated`; else
   * `AzureDiagnostics`) and its retention as the workspace reports it (the table's own, or the
   * workspace default it inherits); absent in snapshots taken before it was collected.
   */
  log_analytics_table?: LogAnalyticsTableRetention;
}

export interface LogAnalyticsTableRetention {
  name: string;
  /** `properties.retentionInDays` (interactive retention); null when not read. */
  retention_days: number | null;
  /** `properties.totalRetentionInDays` (interactive + long-term/archive: how long the records are kept); null when not read. */
  total_retention_days: number | null;
}

export interface AuditStorageProtection {
  /** `allowBlobPublicAccess`; null when the account does not declare it. */
  allow_blob_public_access: boolean | null;
  /** `publicNetworkAccess`; null when the account does not declare it. */
  public_network_access: 'enabled' | 'disabled' | null;
  /** `networkAcls.defaultAction`; null when not declared. */
  network_default_action: 'allow' | 'deny' | null;
  /**
   * Immutability of the audit records: the `insights-logs-auditevent` container's time-based policy or the
   * account's version-level immutability (locked, unlocked, none); null when it could not be read.
   */
  immutability: 'locked' | 'unlocked' | 'none' | null;
}

export type ObjectKind = 'secret' | 'key' | 'certificate';

export interface VaultObject {
  id: string;
  kind: ObjectKind;
  name: string;
  /** Logical path used for scoping and classification, e.g. `project/connectors/jamf/api-token`. */
  path: string;
  enabled: boolean;
  /** null when the store keeps no timestamps (HashiCorp KV v1: its secrets are listed, never read). */
  created: EpochSeconds | null;
  updated: EpochSeconds | null;
  expires: EpochSeconds | null;
  not_before: EpochSeconds | null;
  tags: Record<string, string>;
  content_type: string | null;
  /** HashiCorp KV v2: the oldest version kept (lower versions were dropped by max_versions). */
  oldest_version?: number | null;
  /** HashiCorp KV v2: how many versions Vault keeps for this secret (its own max_versions, else the mount's, else 10). */
  max_versions?: number | null;
  current_version: string;
  versions: Record<string, ObjectVersion>;
  key?: KeyFacts;
  rotation_policy?: RotationPolicy | null;
  certificate_policy?: CertificatePolicy | null;
  /** Azure deletion recovery level (e.g. Recoverable+Purgeable, CustomizedRecoverable+ProtectedSubscription). */
  recovery_level?: string | null;
  recoverable_days?: number | null;
  /** Soft-deleted objects (in `deleted_objects`): when deleted and when the service purges them. */
  deleted_at?: EpochSeconds | null;
  scheduled_purge_at?: EpochSeconds | null;
}

export interface ObjectVersion {
  /** null when the store keeps no timestamps (HashiCorp KV v1). */
  created: EpochSeconds | null;
  updated: EpochSeconds | null;
  expires: EpochSeconds | null;
  not_before: EpochSeconds | null;
  enabled: boolean;
  /** Soft-deleted / KV v2 deletion time. */
  deleted_at?: EpochSeconds | null;
  /** Permanently destroyed (KV v2 destroy or purge). */
  destroyed?: boolean;
}

export interface KeyFacts {
  type: string;
  size: number | null;
  curve: string | null;
  hsm: boolean;
  exportable: boolean;
  operations: string[];
  /** HashiCorp transit: a plaintext backup of the key may be taken (`backup/`); null when not reported. */
  allow_plaintext_backup?: boolean | null;
  /** HashiCorp transit: the key may be deleted. */
  deletion_allowed?: boolean | null;
  /** HashiCorp transit: the lowest key version still allowed to decrypt. */
  min_decryption_version?: number | null;
  /** HashiCorp transit: automatic rotation period in seconds (0 = none; null when not reported). */
  auto_rotate_period_seconds?: number | null;
}

export interface RotationPolicy {
  /** Days after creation at which a `Rotate` lifetime action fires, null when none. */
  rotate_after_days: number | null;
  rotate_before_expiry_days: number | null;
  notify_before_expiry_days: number | null;
  expiry_days: number | null;
}

export interface CertificatePolicy {
  validity_months: number | null;
  auto_renew: boolean;
  renew_before_expiry_days: number | null;
  renew_at_lifetime_percentage: number | null;
  /**
   * The issuer the policy names: `Self` (self-signed), `Unknown` (a CA outside Key Vault, its CSR merged
   * by hand) or the name of an integrated CA issuer (DigiCert, GlobalSign); null when the policy names
   * none, absent in snapshots taken before it was collected.
   */
  issuer_name?: string | null;
}

export interface HashicorpVaultFacts {
  version?: string;
  /** Enterprise namespace path this vault entry covers (`""` or absent for the root namespace). */
  namespace?: string;
  /**
   * Vault Enterprise: the server version ends in `+ent`/`+prem` (`sys/seal-status`), or, when the version was
   * not read, `sys/license/status` answered (Enterprise) or said "enterprise-only feature" (open source);
   * null when neither was read.
   */
  enterprise: boolean | null;
  sealed: boolean | null;
  /** Auth method mounts (`sys/auth`) by path (`approle/`), with their lease TTLs in seconds (0: the system's); null when unread, absent in older snapshots. */
  auth_mounts?: Record<string, AuthMount> | null;
  /**
   * The user lockout each auth mount sets (`sys/auth` `config.user_lockout_config`, Vault 1.13 and later), keyed
   * by mount path; null when sys/auth is unread, absent in snapshots taken before it was collected.
   */
  auth_user_lockout?: Record<string, AuthUserLockout> | null;
  /**
   * PKI roles by mount path (`<pki>/roles/<name>`): the mount's roles, or null when they could not be read;
   * a PKI mount missing here was not walked. Absent in snapshots taken before it was collected.
   */
  pki_roles?: Record<string, Record<string, PkiRole> | null>;
  /** The seal (`sys/seal-status` `type`: `shamir`, `pkcs11`, `awskms`, `azurekeyvault`...); null when unread, absent in older snapshots. */
  seal_type?: string | null;
  mounts: Record<string, Mount>;
  policies: Record<string, AclPolicy>;
  auth_roles: Record<string, AuthRole>;
  key_status: { term: number; install_time: EpochSeconds } | null;
  root_tokens: RootToken[] | null;
  pki: Record<string, PkiCertificate>;
  /**
   * The server's configuration as `GET sys/config/state/sanitized` reports it (cluster-wide, the same
   * in every namespace entry); null when it could not be read, absent in snapshots taken before it was collected.
   */
  server_config?: HashicorpServerConfig | null;
  /**
   * Request headers Vault's audit devices record (`GET sys/config/auditing/request-headers`), lower-cased
   * name → whether the value is HMAC'd; null when unreadable, absent in snapshots taken before it was collected.
   */
  audited_request_headers?: Record<string, { hmac: boolean }> | null;
  /** The request header carrying the scan's correlation id (the events config's `correlation_header`, default `x-correlation-id`). */
  correlation_header?: string;
}

/** The part of Vault's sanitized server configuration the hardening rules judge. */
export interface HashicorpServerConfig {
  listeners: HashicorpListener[];
  /** `cluster_addr` (server-to-server traffic); null when the configuration sets none. */
  cluster_addr: string | null;
  /** `api_addr` (the address clients are redirected to); null when the configuration sets none. */
  api_addr: string | null;
  /** System default and maximum lease TTLs, seconds (0: Vault's built-in 768h); absent in snapshots taken before they were collected. */
  default_lease_ttl?: number | null;
  max_lease_ttl?: number | null;
}

export interface HashicorpListener {
  /** `tcp` or `unix`. */
  type: string;
  address: string | null;
  /** `tls_disable` as Vault reads it (true, "true" and "1" disable TLS). */
  tls_disable: boolean;
  /** `tls_min_version` (`tls12`, `tls13`...); null when unset (Vault's default is tls12). */
  tls_min_version: string | null;
}

export interface AuthMount {
  path: string;
  type: string;
  default_lease_ttl: number | null;
  max_lease_ttl: number | null;
}

export interface PkiRole {
  /** `max_ttl` in seconds (0: the mount's, then the system's maximum lease TTL); null when not reported. */
  max_ttl: number | null;
  /** `ttl` in seconds (0: the mount's default); null when not reported. */
  ttl: number | null;
}

export interface AuthUserLockout {
  /** The auth method type (`userpass`, `ldap`, `approle`, ...). */
  type: string;
  /** The mount's own lockout settings; null when the mount sets none (a server-wide `user_lockout` stanza is not visible through the API). */
  lockout: {
    threshold: number | null;
    duration_seconds: number | null;
    counter_reset_seconds: number | null;
    disabled: boolean | null;
  } | null;
}

export interface Mount {
  path: string;
  type: string;
  kv_version: number | null;
  max_versions: number | null;
  delete_version_after_seconds: number | null;
  cas_required: boolean | null;
  default_lease_ttl: number | null;
  max_lease_ttl: number | null;
  /** Mount options as Vault reports them (e.g. `{ version: "2" }`). */
  options?: Record<string, string>;
  local?: boolean;
  seal_wrap?: boolean;
}

export interface AclPolicy {
  name: string;
  rules: AclRule[];
}

export interface AclRule {
  path: string;
  capabilities: string[];
  /**
   * Vault Enterprise control group on the path (`control_group = { factor "<name>" { identity { ... } } }`):
   * the approvals a request needs before Vault answers it; absent when the path has none.
   */
  control_group?: AclControlGroup;
}

export interface AclControlGroup {
  /** Every factor must be satisfied, each by its own number of approvals. */
  factors: AclControlGroupFactor[];
}

export interface AclControlGroupFactor {
  name: string;
  /** `identity.approvals`: how many members of the groups must authorise the request. */
  approvals: number;
  group_names: string[];
  group_ids: string[];
  /** `controlled_capabilities`: the capabilities the factor applies to; empty: every capability of the path. */
  controlled_capabilities: string[];
}

export interface AuthRole {
  id: string;
  method: string;
  name: string;
  token_policies: string[];
  token_ttl: number | null;
  token_max_ttl: number | null;
  secret_id_ttl: number | null;
}

export interface RootToken {
  accessor_hash: string;
  created: EpochSeconds;
  expires: EpochSeconds | null;
}

export interface PkiCertificate {
  id: string;
  mount: string;
  serial: string;
  is_ca: boolean;
  not_before: EpochSeconds;
  not_after: EpochSeconds;
}

export type PrincipalType =
  | 'user'
  | 'group'
  | 'service-principal'
  | 'managed-identity'
  | 'vault-entity'
  | 'vault-role'
  | 'vault-group';

export type AuthMethod =
  | 'managed-identity'
  | 'certificate'
  | 'client-secret'
  | 'federated'
  | 'password'
  | 'token'
  | 'approle'
  | 'kubernetes'
  | 'jwt'
  | 'unknown';

export interface Principal {
  id: string;
  provider: Provider;
  type: PrincipalType;
  display_name: string;
  /** Credential types the principal authenticates with. */
  auth_methods: AuthMethod[];
  /** Group / role ids this principal belongs to. */
  member_of: string[];
  /** Subsystem the principal serves (control-plane, packaging, connectors/<name>, cab, platform-admin, publisher, scanner). */
  subsystem?: string;
  tags?: Record<string, string>;
  /** Azure: application (client) id of a service principal or managed identity (Microsoft Graph). */
  app_id?: string;
  /** Azure: which kind of managed identity. */
  managed_identity?: 'system-assigned' | 'user-assigned';
  /** Azure: credentials the principal can authenticate with (Microsoft Graph; never a value); absent: not read. */
  credentials?: PrincipalCredential[];
}

/** An app registration's or service principal's credential, as Microsoft Graph lists it. */
export interface PrincipalCredential {
  /** keyId (certificate, client secret) or the federated identity credential's id. */
  id: string;
  kind: 'certificate' | 'client-secret' | 'federated';
  owner: 'application' | 'service-principal';
  display_name?: string | null;
  /** Certificates: `Verify` (authenticates) or `Sign`. */
  usage?: string | null;
  /** Federated credentials: the trusted issuer. */
  issuer?: string | null;
  start: EpochSeconds | null;
  end: EpochSeconds | null;
}

export type Capability =
  | 'list'
  | 'read-metadata'
  | 'read-value'
  | 'write'
  | 'delete'
  | 'purge'
  | 'sign'
  | 'decrypt'
  | 'manage-access';

export interface Grant {
  id: string;
  principal: string;
  vault: string;
  /** Path glob within the vault the grant covers ("*" for the whole vault). */
  scope: string;
  capabilities: Capability[];
  source: 'rbac' | 'access-policy' | 'vault-policy';
  role?: string;
  inherited_from?: string;
  /** Path globs inside `scope` where a higher-priority rule of the same principal governs instead (HashiCorp: a more specific grant or a deny). */
  except?: string[];
  /** Object kinds the grant covers (Azure access policies and data actions are per kind); absent = all. */
  object_kinds?: ObjectKind[];
}

export interface ReplicationPair {
  id: string;
  primary: string;
  secondary: string;
  method: 'version-compare' | 'vault-enterprise';
  /** Vault Enterprise replication status as seen on the primary. */
  status?: ReplicationStatus | null;
  /** Whether the platform currently permits writes against the secondary (failover); absent = not known. */
  writes_permitted_on_secondary?: boolean;
  /** Azure: what decides whether writes are permitted on the fallback, as collected (the rule judges it). */
  secondary_access?: SecondaryAccess;
}

/** A management lock on a vault (Azure `Microsoft.Authorization/locks`). */
export interface SecondaryLock {
  id: string;
  /** `ReadOnly`, `CanNotDelete` or `NotSpecified`. */
  level: string;
}

export interface SecondaryAccess {
  /** Management locks on the fallback vault; null when they could not be read. */
  locks: SecondaryLock[] | null;
  /** The fallback's role assignments and access policies were read: its grants in the snapshot are complete. */
  grants_read: boolean;
  /** What could not be read, when anything. */
  unread?: string;
}

export interface ReplicationStatus {
  /** Replication state on the primary (`running`, `idle`...). */
  state: string;
  /** The secondary's connection as the primary reports it (`connected`, `disconnected`...). */
  connection_state: string;
  last_heartbeat: EpochSeconds | null;
  /** The primary's WAL index for the pair's kind (`last_performance_wal`/`last_dr_wal`, else `last_wal`). */
  primary_last_wal: number | null;
  /** The secondary's `last_remote_wal`, read from the secondary. */
  secondary_last_wal: number | null;
  /** The secondary's own replication mode for the pair's kind (`secondary`, `primary`, `disabled`); null when not read. */
  secondary_mode?: string | null;
  /** The secondary's own replication state (`stream-wals`, `merkle-sync`, `idle`...); null when not read. */
  secondary_state?: string | null;
  /** Age of the last primary canary the secondary applied (`replication_primary_canary_age_ms`), seconds; null when not reported. */
  canary_age_seconds?: number | null;
}

/**
 * Facts derived from audit logs and event records for the window (see `definitions.events` in the
 * schema for every field). Keyed for lookup; an absent section means its evidence was not
 * collected, and the rules that need it report error.
 */
export interface EventFacts {
  window: { from: EpochSeconds; to: EpochSeconds };
  sources?: EventSource[];
  /** object id -> object version -> rotation record. */
  rotations?: Record<string, Record<string, RotationRecord>>;
  /** object id -> use id -> break-glass use. */
  break_glass?: Record<string, Record<string, BreakGlassUse>>;
  /** vault id -> audit counts. */
  audit?: Record<string, VaultAuditFacts>;
  /** vault id (or "*" for all vaults) -> most recent completed access review. */
  access_reviews?: Record<string, AccessReview>;
  /** object id -> most recent CAB escalation. */
  escalations?: Record<string, CabEscalation>;
  /** The process controls' records (policies/process/, VP-PRC-*): few, fleet-wide. */
  process?: ProcessFacts;
  /** object id -> run id -> rotation run attempts in the window (VP-PRC-003). */
  rotation_runs?: Record<string, Record<string, RotationRun>>;
  [key: string]: unknown;
}

export type EventSection = 'rotations' | 'break_glass' | 'audit' | 'access_reviews' | 'escalations' | 'process' | 'rotation_runs';

/** Records of the process controls (secrets-management §4, §6), keyed for lookup; see `definitions.processFacts` in the schema. */
export interface ProcessFacts {
  /** failover id -> HSM failover started in the window, with its approvals. */
  hsm_failovers: Record<string, HsmFailover>;
  /** vault id, or "*" for every vault -> the attestation with the latest period end. */
  hsm_attestations: Record<string, HsmFailoverAttestation>;
  /** pause id -> packaging pause overlapping the window. */
  packaging_pauses: Record<string, PackagingPause>;
  /** incident id -> suspected compromise detected in the window. */
  compromises: Record<string, SuspectedCompromise>;
  /** notification key -> CAB/security notification in the window. */
  notifications: Record<string, SecurityNotification>;
  /** `<object id>|<use id>` -> break-glass use in the window (records and audit logs), with its vault. */
  break_glass: Record<string, BreakGlassInvocation>;
  /** vault id, or "*" for every vault -> the latest vault-outage drill. */
  outage_drills: Record<string, VaultOutageDrill>;
}

export interface HsmFailover {
  started_at: EpochSeconds;
  ended_at: EpochSeconds | null;
  secondary_key: string;
  /** Vault of the secondary key. */
  vault: string;
  requester: string | null;
  first_use_at: EpochSeconds | null;
  evidence_pack_sha256: string | null;
  approvals: Array<{ approver: string; approved_at: EpochSeconds }>;
}

export interface HsmFailoverAttestation {
  attestation_id: string;
  from: EpochSeconds;
  to: EpochSeconds;
  failovers: number;
  attested_by: string;
  attested_at: EpochSeconds;
}

export interface PackagingPause {
  pipeline: string;
  paused_at: EpochSeconds;
  resumed_at: EpochSeconds | null;
  failover_id: string | null;
}

export interface SuspectedCompromise {
  detected_at: EpochSeconds;
  /** object id -> its vault id. */
  objects: Record<string, string>;
  source: string | null;
}

export interface SecurityNotification {
  notified_at: EpochSeconds;
  notified: Array<'cab' | 'security'>;
  incident_id: string | null;
  vault: string | null;
  ticket: string | null;
}

export interface BreakGlassInvocation {
  object: string;
  vault: string;
  used_at: EpochSeconds;
  correlation_id: string | null;
  incident_id: string | null;
}

export interface VaultOutageDrill {
  drill_id: string;
  started_at: EpochSeconds;
  ended_at: EpochSeconds | null;
  blocked: boolean;
  publishes_attempted: number | null;
}

export interface RotationRun {
  /** Attempts in the window, in attempt order. */
  attempts: Array<{ attempt: number; time: EpochSeconds; status: 'succeeded' | 'failed'; actor: string; version: string | null }>;
}

export interface EventSource {
  id: string;
  kind: 'vault-audit-log' | 'azure-audit-event' | 'rotation-records' | 'approval-records' | 'access-reviews' | 'cab-escalations' | 'other';
  status: 'complete' | 'incomplete';
  reason?: string;
  sections: EventSection[];
  records?: number;
  /** Lines or records that could not be parsed or validated (skipped, counted here). */
  malformed_lines?: number;
  /** The first malformed lines, with file, line number and reason. */
  malformed?: Array<{ file: string; line: number; reason: string }>;
}

export interface RotationRecord {
  version: string;
  time: EpochSeconds;
  correlation_id: string | null;
  actor: string | null;
  record_id?: string;
}

export interface BreakGlassUse {
  id: string;
  used_at: EpochSeconds;
  actor: string | null;
  correlation_id: string | null;
  approvals: Array<{ approver: string; approved_at: EpochSeconds }>;
  rotated_at: EpochSeconds | null;
}

export interface DeniedRequests {
  principal: string;
  path: string;
  operation?: string;
  count: number;
  last_seen: EpochSeconds;
}

export interface VaultAuditFacts {
  privileged_operations: number;
  with_correlation_id: number;
  expected_privileged_operations: number | null;
  denied_requests: number;
  /** `<principal>|<path>` -> denied requests. */
  denied: Record<string, DeniedRequests>;
}

export interface AccessReview {
  review_id: string;
  completed_at: EpochSeconds;
  reviewers: string[];
  open_items?: number;
}

export interface CabEscalation {
  ticket: string;
  raised_at: EpochSeconds;
  reason?: string;
}

/** What one collector contributes; src/snapshot/assemble.ts merges the fragments into a Snapshot. */
export interface SnapshotFragment {
  vaults: Record<string, Vault>;
  principals: Record<string, Principal>;
  grants: Record<string, Grant>;
  replication: Record<string, ReplicationPair>;
  scopes: CollectionScope[];
  identities: ScanIdentity[];
  /** The consumers collector's contribution (`consumers:`). */
  consumers?: Record<string, Consumer>;
  /** The secret-scans collector's contribution (`secret_scans:`). */
  secret_scans?: SecretScanFacts;
}

/** Shard K of N of a partitioned collection (`collect --shard K/N`). */
export interface ShardSpec {
  /** 1-based shard index. */
  index: number;
  count: number;
}

/** What a shard snapshot records of its partition (`$.partition`), checked by `merge`. */
export interface PartitionRecord extends ShardSpec {
  /** Unit keys this shard collected, sorted (e.g. `azure-subscription:<id>`). */
  units: string[];
}
