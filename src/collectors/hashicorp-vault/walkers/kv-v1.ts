/**
 * KV v1 listing walk (type `kv` without version 2, or the old `generic`): LIST <mount><folder>
 * recursively (sent as GET ?list=true). Never a GET on a leaf: on KV v1 that returns the VALUE
 * (the client's guard refuses it anyway). KV v1 keeps no metadata, so a secret is recorded by its
 * path alone. A failure on a folder marks the mount's scope incomplete and the walk goes on.
 */
import { asJson, type Json } from '../raw.js';
import { isKv2 } from './mounts.js';
import type { WalkContext } from './context.js';

export function isKv1(m: Json): boolean {
  return m.type === 'generic' || (m.type === 'kv' && !isKv2(m));
}

export async function walkKvV1(ctx: WalkContext): Promise<void> {
  const mounts = ctx.raw.mounts ?? {};
  await Promise.all(
    Object.entries(mounts)
      .filter(([, m]) => isKv1(asJson(m)))
      .map(([mount]) => walkMount(ctx, mount)),
  );
}

async function walkMount(ctx: WalkContext, mount: string): Promise<void> {
  const scope = `${ctx.vaultId}#kv:${mount}`;
  ctx.scopes.open(scope);
  const folder = async (prefix: string, depth: number): Promise<void> => {
    if (depth > 64) {
      ctx.scopes.fail(scope, `folder ${mount}${prefix} is nested deeper than 64 levels; not listed further`);
      return;
    }
    let keys: string[];
    try {
      keys = await ctx.client.list(`${mount}${prefix}`);
    } catch (e) {
      ctx.scopes.failWith(scope, e);
      return;
    }
    await Promise.all(
      keys.map(async (key) => {
        if (key.endsWith('/')) return folder(`${prefix}${key}`, depth + 1);
        ctx.raw.kvV1Secrets.push({ mount, path: `${prefix}${key}` });
        ctx.onObject();
      }),
    );
  };
  await folder('', 0);
}
