/**
 * Root tokens: LIST auth/token/accessors (needs sudo) and lookup-accessor on each; keeps only tokens
 * whose policies include `root`, and only a SHA-256 of the accessor, never the accessor itself.
 */
import { createHash } from 'node:crypto';
import { VaultHttpError } from '../client.js';
import { asJson, type RawRootToken } from '../raw.js';
import { forEach, type WalkContext } from './context.js';

export function hashAccessor(accessor: string): string {
  return `sha256:${createHash('sha256').update(`vaultproof-accessor:${accessor}`).digest('hex')}`;
}

export async function walkRootTokens(ctx: WalkContext): Promise<void> {
  if (!ctx.cluster.root_tokens) return;
  const scope = `${ctx.vaultId}#root-tokens`;
  ctx.scopes.open(scope);
  let accessors: string[];
  try {
    accessors = await ctx.client.list('auth/token/accessors');
  } catch (e) {
    ctx.scopes.failWith(scope, e);
    return;
  }
  const roots: RawRootToken[] = [];
  await forEach(accessors, async (accessor) => {
    try {
      const body = await ctx.client.post('auth/token/lookup-accessor', { accessor });
      const d = asJson(body.data);
      const policies = Array.isArray(d.policies) ? d.policies.map(String) : [];
      if (!policies.includes('root')) return;
      roots.push({
        accessor_hash: hashAccessor(accessor),
        creation_time: typeof d.creation_time === 'number' ? d.creation_time : null,
        expire_time: typeof d.expire_time === 'string' ? d.expire_time : null,
      });
    } catch (e) {
      // A token that expired between LIST and lookup answers 400: it no longer exists.
      if (e instanceof VaultHttpError && e.status === 400) return;
      ctx.scopes.failWith(scope, e);
    }
  });
  roots.sort((a, b) => (a.accessor_hash < b.accessor_hash ? -1 : 1));
  ctx.raw.rootTokens = roots;
}
