/** sys/mounts (type, KV version, options, TTLs) and each KV v2 mount's `config`. */
import { asJson, attempt, type Json } from '../raw.js';
import { forEach, type WalkContext } from './context.js';

export function isKv2(m: Json): boolean {
  return m.type === 'kv' && String(asJson(m.options).version ?? '1') === '2';
}

/** Reads the secret-engine mount table and teaches the guard which paths hold values. */
export async function walkMounts(ctx: WalkContext): Promise<void> {
  const scope = `${ctx.vaultId}#mounts`;
  const body = await attempt(ctx.scopes, scope, () => ctx.client.read('sys/mounts'));
  if (!body) return;
  const data = asJson(body.data);
  const mounts: Record<string, Json> = {};
  for (const [path, m] of Object.entries(Object.keys(data).length > 0 ? data : body)) {
    if (!path.endsWith('/') || typeof asJson(m).type !== 'string') continue;
    mounts[path] = asJson(m);
  }
  ctx.raw.mounts = mounts;
  ctx.client.guard.setSecretMounts(
    Object.entries(mounts).map(([path, m]) => ({ path, type: String(m.type), kv_version: m.type === 'kv' || m.type === 'generic' ? (isKv2(m) ? 2 : 1) : null })),
  );
  const kv2 = Object.keys(mounts).filter((p) => isKv2(mounts[p] as Json));
  await forEach(kv2, async (path) => {
    const cfg = await attempt(ctx.scopes, `${ctx.vaultId}#kv-config:${path}`, () => ctx.client.read(`${path}config`));
    ctx.raw.kvConfigs[path] = cfg ? asJson(cfg.data) : null;
  });
}
