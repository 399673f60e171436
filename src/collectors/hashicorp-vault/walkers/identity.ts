/** Identity entities and groups (internal and external) with their policies and memberships. */
import { asJson, type Json } from '../raw.js';
import { forEach, type WalkContext } from './context.js';

async function walkKind(ctx: WalkContext, kind: 'entity' | 'group'): Promise<Json[] | null> {
  const scope = `${ctx.vaultId}#identity-${kind === 'entity' ? 'entities' : 'groups'}`;
  ctx.scopes.open(scope);
  let ids: string[];
  try {
    ids = await ctx.client.list(`identity/${kind}/id`);
  } catch (e) {
    ctx.scopes.failWith(scope, e);
    return null;
  }
  const out: Json[] = [];
  await forEach(ids, async (id) => {
    try {
      const body = await ctx.client.read(`identity/${kind}/id/${id}`);
      out.push(asJson(body.data));
      ctx.onObject();
    } catch (e) {
      ctx.scopes.failWith(scope, e);
    }
  });
  return out;
}

export async function walkIdentity(ctx: WalkContext): Promise<void> {
  const [entities, groups] = await Promise.all([walkKind(ctx, 'entity'), walkKind(ctx, 'group')]);
  ctx.raw.entities = entities;
  ctx.raw.groups = groups;
}
