/** ACL policies: LIST sys/policies/acl, GET each one's HCL text (parsed later, in the transform). */
import { asJson } from '../raw.js';
import { forEach, type WalkContext } from './context.js';

export async function walkPolicies(ctx: WalkContext): Promise<void> {
  const scope = `${ctx.vaultId}#policies`;
  ctx.scopes.open(scope);
  let names: string[];
  try {
    names = await ctx.client.list('sys/policies/acl');
  } catch (e) {
    ctx.scopes.failWith(scope, e);
    return;
  }
  const texts: Record<string, string> = {};
  // `root` is built in (every capability everywhere) and has no readable text.
  await forEach(
    names.filter((n) => n !== 'root'),
    async (name) => {
      try {
        const body = await ctx.client.read(`sys/policies/acl/${name}`);
        const data = asJson(body.data);
        texts[name] = typeof data.policy === 'string' ? data.policy : '';
      } catch (e) {
        ctx.scopes.failWith(scope, e);
      }
    },
  );
  ctx.raw.policies = texts;
}
