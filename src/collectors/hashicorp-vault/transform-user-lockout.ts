/**
 * User lockout of each auth mount, as `GET sys/auth` reports it: `config.user_lockout_config`
 * (Vault 1.13 and later) appears only on mounts that set it (`sys/auth/<path>/tune`). A mount without
 * it gets `lockout: null`: whatever a server-wide `user_lockout` stanza says is not visible through
 * the API. A field Vault did not report stays null, never a default.
 */
import type { AuthUserLockout } from '../../snapshot/types.js';
import { asJson, type Json } from './raw.js';
import { toSeconds } from './transform-values.js';

const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null);

export function toAuthUserLockout(methods: Record<string, Json>): Record<string, AuthUserLockout> {
  const out: Record<string, AuthUserLockout> = {};
  for (const path of Object.keys(methods).sort()) {
    const m = asJson(methods[path]);
    const raw = asJson(m.config).user_lockout_config;
    const cfg = raw && typeof raw === 'object' && !Array.isArray(raw) ? asJson(raw) : null;
    out[path] = {
      type: String(m.type),
      lockout: cfg
        ? {
            threshold: int(cfg.user_lockout_threshold),
            duration_seconds: toSeconds(cfg.user_lockout_duration),
            counter_reset_seconds: toSeconds(cfg.user_lockout_counter_reset_duration),
            disabled: typeof cfg.user_lockout_disable === 'boolean' ? cfg.user_lockout_disable : null,
          }
        : null,
    };
  }
  return out;
}
