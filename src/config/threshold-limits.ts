/**
 * What every threshold of `policies/data/defaults.json` may be set to, and which way is looser than
 * the standard: the machine-readable statement of the standard's limits. The bundle's defaults are the
 * standard's values; these limits say how far a config may move them (hard bounds: never accepted)
 * and in which direction a move needs an approved deviation (config/deviations.ts).
 *
 * Each rule's use of its key (policies/**.rego) decides the direction:
 * - a number the measured value must stay under (an interval, a maximum age) is looser when raised;
 * - a number the measured value must reach (a retention, a count of approvers) is looser when lowered;
 * - a list of what is checked (break-glass paths, SoD pairs, HSM key types) is looser when shrunk;
 * - a list of what is allowed (auth methods, key curves, admin policies, tools) is looser when grown.
 */

export const CREDENTIAL_TYPES = ['sp-certificate', 'api-token', 'scanner-token', 'signing-key', 'siem-secret', 'admin-key', 'publish-credential', 'generic'] as const;

export const AUTH_METHODS = ['managed-identity', 'certificate', 'client-secret', 'federated', 'password', 'token', 'approle', 'kubernetes', 'jwt', 'unknown'] as const;

export const KEY_CURVES = ['P-256', 'P-384', 'P-521', 'P-256K'] as const;

/** Key types Key Vault and Managed HSM keys can have (JSON Web Key `kty`). */
export const KEY_TYPES = ['RSA', 'RSA-HSM', 'EC', 'EC-HSM', 'oct', 'oct-HSM'] as const;

/** Key types a Key Vault certificate's issuance policy can name (`keyProperties.keyType`). */
export const CERTIFICATE_KEY_TYPES = ['RSA', 'RSA-HSM', 'EC', 'EC-HSM'] as const;

/**
 * The subsystems the standard names (secrets-management §1.4, §2, §3). A subsystem key inside a
 * threshold (`subsystems:`, `allowed_auth_methods:`) must be one of these or be declared by the
 * config itself (named literally in `known_subsystems` / `admin_subsystems`, or by a `principals:` rule).
 */
export const STANDARD_SUBSYSTEMS = [
  'control-plane',
  'packaging',
  'cab',
  'connectors',
  'connectors/intune',
  'connectors/jamf',
  'connectors/sccm',
  'connectors/landscape',
  'connectors/ansible',
  'platform-admin',
] as const;

export interface NumberLimit {
  kind: 'number';
  /** Shown in messages: "days", "hours", "approvers"... */
  unit: string;
  integer: boolean;
  min: number;
  max: number;
  /** `lower`: a smaller value is stricter (raising it loosens the check); `higher`: the opposite. */
  stricter: 'lower' | 'higher';
  /** `null` means "no limit" (the loosest setting): allowed only where the standard itself may say so. */
  nullable?: boolean;
}

export interface ListLimit {
  kind: 'list';
  item: { type: 'string' } | { enum: readonly string[] } | { pair: readonly string[] };
  /** `adding`: an allow-list (an item the standard does not list loosens it); `removing`: a list of what is checked. */
  loosenedBy: 'adding' | 'removing';
  what: string;
}

/** Fixed keys (credential types), each with the same limit. */
export interface RecordLimit {
  kind: 'record';
  keys: readonly string[];
  value: Limit;
}

/** Keys are subsystem names (checked against the standard's and the config's own), each with the same limit. */
export interface SubsystemMapLimit {
  kind: 'subsystems';
  value: Limit;
}

export interface ObjectLimit {
  kind: 'object';
  properties: Record<string, Limit>;
}

export type Limit = NumberLimit | ListLimit | RecordLimit | SubsystemMapLimit | ObjectLimit;

const days = (min: number, max: number, stricter: NumberLimit['stricter']): NumberLimit => ({ kind: 'number', unit: 'days', integer: true, min, max, stricter });
const whole = (unit: string, min: number, max: number, stricter: NumberLimit['stricter']): NumberLimit => ({ kind: 'number', unit, integer: true, min, max, stricter });
const names = (loosenedBy: ListLimit['loosenedBy'], what: string): ListLimit => ({ kind: 'list', item: { type: 'string' }, loosenedBy, what });

const rotationDays: RecordLimit = { kind: 'record', keys: CREDENTIAL_TYPES, value: { ...days(1, 3650, 'lower'), nullable: true } };

export const THRESHOLD_LIMITS: Record<string, Limit> = {
  rotation_days: rotationDays,
  token_expiry_alarm_days: days(1, 365, 'higher'),
  replication_lag_minutes: { kind: 'number', unit: 'minutes', integer: false, min: 0, max: 1440, stricter: 'lower' },
  consumer_cache_ttl_seconds: whole('seconds', 1, 86400, 'lower'),
  audit_hold_days: days(1, 365, 'higher'),
  access_review_max_age_days: days(1, 366, 'lower'),
  secret_scan_max_age_days: days(1, 366, 'lower'),
  audit_retention_days: days(1, 10950, 'higher'),
  rotation_escalation_hours: whole('hours', 1, 8760, 'lower'),
  event_window_days: days(1, 366, 'higher'),
  break_glass_min_approvers: whole('approvers', 1, 10, 'higher'),
  break_glass_rotation_hours: whole('hours', 1, 720, 'lower'),
  break_glass_paths: names('removing', 'break-glass path patterns'),
  break_glass_window_hours: whole('hours', 1, 168, 'lower'),
  compromise_response_hours: whole('hours', 1, 720, 'lower'),
  hsm_failover_attestation_max_age_days: days(1, 366, 'lower'),
  rotation_pipeline_principals: names('adding', 'rotation pipeline identities (patterns)'),
  rotation_retry_backoff_factor: { kind: 'number', unit: 'times the previous delay', integer: false, min: 1, max: 10, stricter: 'higher' },
  vault_outage_drill_max_age_days: days(1, 3660, 'lower'),
  kv_min_max_versions: whole('versions', 1, 1000, 'higher'),
  audit_min_devices: whole('audit devices', 1, 10, 'higher'),
  key_rotation_policy_max_days: days(1, 3650, 'lower'),
  secret_max_validity_days: days(1, 3650, 'lower'),
  min_days_before_expiry: days(0, 365, 'higher'),
  certificate_max_validity_months: whole('months', 1, 120, 'lower'),
  certificate_min_remaining_days: days(0, 365, 'higher'),
  key_max_validity_days: days(1, 3650, 'lower'),
  key_min_remaining_days: days(0, 365, 'higher'),
  unclassified_max_active_days: days(1, 3650, 'lower'),
  min_rsa_key_bits: whole('bits', 1024, 16384, 'higher'),
  allowed_key_curves: { kind: 'list', item: { enum: KEY_CURVES }, loosenedBy: 'adding', what: 'allowed key curves' },
  allowed_key_types: { kind: 'list', item: { enum: KEY_TYPES }, loosenedBy: 'adding', what: 'allowed key types' },
  allowed_certificate_key_types: { kind: 'list', item: { enum: CERTIFICATE_KEY_TYPES }, loosenedBy: 'adding', what: 'allowed certificate key types' },
  allowed_certificate_issuers: names('adding', 'allowed certificate issuers'),
  hsm_required_key_types: names('removing', 'credential types that must be HSM-backed'),
  max_token_ttl_seconds: whole('seconds', 1, 31_536_000, 'lower'),
  max_lease_ttl_seconds: whole('seconds', 1, 31_536_000, 'lower'),
  vault_supported_versions: names('adding', 'supported Vault releases (the lowest accepted version of each series)'),
  pki_ca_min_remaining_days: days(0, 3650, 'higher'),
  pki_leaf_max_age_days: days(1, 3650, 'lower'),
  admin_subsystems: names('adding', 'admin subsystems'),
  admin_policies: names('adding', 'admin policy patterns'),
  allowed_auth_methods: { kind: 'subsystems', value: { kind: 'list', item: { enum: AUTH_METHODS }, loosenedBy: 'adding', what: 'allowed auth methods' } },
  known_subsystems: names('adding', 'known subsystems'),
  separation_of_duties: { kind: 'list', item: { pair: CREDENTIAL_TYPES }, loosenedBy: 'removing', what: 'separation-of-duties pairs' },
  scanner_tools: names('adding', 'known scanning tools'),
  subsystems: { kind: 'subsystems', value: { kind: 'object', properties: { rotation_days: rotationDays } } },
};

/** A subsystem name as a key: no glob characters and no dot (a dot separates a deviation's path). */
export const SUBSYSTEM_NAME = /^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*$/;

/** JSON Schema of a limit (config/schema.ts): the same bounds the checker enforces, for editors and ajv. */
export function limitSchema(limit: Limit): Record<string, unknown> {
  switch (limit.kind) {
    case 'number': {
      const type = limit.integer ? 'integer' : 'number';
      return { type: limit.nullable ? [type, 'null'] : type, minimum: limit.min, maximum: limit.max };
    }
    case 'list': {
      const item = limit.item;
      const items =
        'enum' in item
          ? { enum: [...item.enum] }
          : 'pair' in item
            ? { type: 'array', minItems: 2, maxItems: 2, uniqueItems: true, items: { enum: [...item.pair] } }
            : { type: 'string', minLength: 1, pattern: '\\S' };
      return { type: 'array', uniqueItems: true, items };
    }
    case 'record':
      return { type: 'object', additionalProperties: false, properties: Object.fromEntries(limit.keys.map((k) => [k, limitSchema(limit.value)])) };
    case 'subsystems':
      return { type: 'object', propertyNames: { pattern: SUBSYSTEM_NAME.source }, additionalProperties: limitSchema(limit.value) };
    case 'object':
      return { type: 'object', additionalProperties: false, properties: Object.fromEntries(Object.entries(limit.properties).map(([k, v]) => [k, limitSchema(v)])) };
  }
}

export const thresholdsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(Object.entries(THRESHOLD_LIMITS).map(([k, v]) => [k, limitSchema(v)])),
};
