/**
 * KV v2 metadata walk: LIST <mount>/metadata/<folder> recursively, GET <mount>/metadata/<secret> for
 * each secret. Never data/ (the client's guard refuses it anyway). A failure on a folder or a secret
 * marks the mount's scope incomplete and the walk goes on with the rest.
 */
import { asJson, type Json } from '../raw.js';
import { isKv2 } from './mounts.js';
import type { WalkContext } from './context.js';

export async function walkKvMetadata(ctx: WalkContext): Promise<void> {
  const mounts = ctx.raw.mounts ?? {};
  await Promise.all(
    Object.entries(mounts)
      .filter(([, m]) => isKv2(m as Json))
      .map(([mount]) => walkMount(ctx, mount)),
  );
}

async function walkMount(ctx: WalkContext, mount: string): Promise<void> {
  const scope = `${ctx.vaultId}#kv:${mount}`;
  ctx.scopes.open(scope);
  const folder = async (prefix: string): Promise<void> => {
    let keys: string[];
    try {
      keys = await ctx.client.list(`${mount}metadata/${prefix}`);
    } catch (e) {
      ctx.scopes.failWith(scope, e);
      return;
    }
    await Promise.all(
      keys.map(async (key) => {
        if (key.endsWith('/')) return folder(`${prefix}${key}`);
        const path = `${prefix}${key}`;
        try {
          const body = await ctx.client.read(`${mount}metadata/${path}`);
          ctx.raw.kvSecrets.push({ mount, path, metadata: asJson(body.data) });
          ctx.onObject();
        } catch (e) {
          ctx.scopes.failWith(scope, e);
        }
      }),
    );
  };
  await folder('');
}
