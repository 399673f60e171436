/**
 * Auth methods (sys/auth) and the roles of approle, kubernetes, azure, jwt/oidc, cert, userpass and
 * token mounts: their token policies and TTLs, so each principal resolves to policies. Reads role metadata
 * only (never role-id or secret-id endpoints).
 */
import { asJson, attempt, type Json } from '../raw.js';
import { forEach, type WalkContext } from './context.js';

/** Where each auth method keeps its roles. */
export const ROLE_COLLECTION: Record<string, string> = {
  approle: 'role',
  kubernetes: 'role',
  azure: 'role',
  jwt: 'role',
  oidc: 'role',
  cert: 'certs',
  userpass: 'users',
  // Token roles (auth/token/roles): a role whose tokens are periodic or fall back to the system
  // maximum issues tokens that live a month or for ever.
  token: 'roles',
};

export async function walkAuthRoles(ctx: WalkContext): Promise<void> {
  const body = await attempt(ctx.scopes, `${ctx.vaultId}#auth`, () => ctx.client.read('sys/auth'));
  if (!body) return;
  const data = asJson(body.data);
  const methods: Record<string, Json> = {};
  for (const [path, m] of Object.entries(Object.keys(data).length > 0 ? data : body)) {
    if (path.endsWith('/') && typeof asJson(m).type === 'string') methods[path] = asJson(m);
  }
  ctx.raw.authMethods = methods;
  ctx.client.guard.setAuthMounts(Object.keys(methods));
  await forEach(Object.entries(methods), async ([mount, m]) => {
    const type = String(m.type);
    const collection = ROLE_COLLECTION[type];
    if (!collection) return;
    const scope = `${ctx.vaultId}#auth-roles:${mount}`;
    const names = await attempt(ctx.scopes, scope, () => ctx.client.list(`auth/${mount}${collection}`));
    if (!names) return;
    await forEach(names, async (name) => {
      try {
        const role = await ctx.client.read(`auth/${mount}${collection}/${name}`);
        ctx.raw.authRoles.push({ mount, type, name, data: asJson(role.data) });
        ctx.onObject();
      } catch (e) {
        ctx.scopes.failWith(scope, e);
      }
    });
  });
}
