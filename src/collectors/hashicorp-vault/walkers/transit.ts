/**
 * Transit mounts: each key's properties (`LIST <transit>/keys`, `GET <transit>/keys/<name>`): type,
 * exportable, backup and deletion flags, versions with their creation times, auto-rotation. Never
 * export/, backup/, decrypt/, datakey/ or any other operation (the request guard refuses them).
 * A mount whose key list or any key cannot be read is recorded incomplete, never an empty list.
 */
import { asJson, type Json } from '../raw.js';
import { forEach, type WalkContext } from './context.js';

export async function walkTransit(ctx: WalkContext): Promise<void> {
  const mounts = Object.entries(ctx.raw.mounts ?? {}).filter(([, m]) => (m as Json).type === 'transit');
  await forEach(mounts, async ([mount]) => {
    const scope = `${ctx.vaultId}#transit:${mount}`;
    ctx.scopes.open(scope);
    let names: string[];
    try {
      names = await ctx.client.list(`${mount}keys`);
    } catch (e) {
      ctx.scopes.failWith(scope, e);
      return;
    }
    await forEach(names, async (name) => {
      try {
        const body = await ctx.client.read(`${mount}keys/${name}`);
        ctx.raw.transitKeys.push({ mount, name, data: asJson(body.data) });
        ctx.onObject();
      } catch (e) {
        ctx.scopes.failWith(scope, e);
      }
    });
  });
}
