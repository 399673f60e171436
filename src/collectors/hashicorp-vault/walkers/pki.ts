/** PKI mounts: issuers (CA certificates) and issued leaf certificates, for their validity windows; roles, for their TTLs. */
import { asJson, type Json } from '../raw.js';
import { forEach, type WalkContext } from './context.js';

export async function walkPki(ctx: WalkContext): Promise<void> {
  if (!ctx.cluster.pki) return;
  const mounts = Object.entries(ctx.raw.mounts ?? {}).filter(([, m]) => (m as Json).type === 'pki');
  await forEach(mounts, async ([mount]) => {
    const scope = `${ctx.vaultId}#pki:${mount}`;
    ctx.scopes.open(scope);
    const read = async (path: string, serial: string, issuer: boolean) => {
      try {
        const body = await ctx.client.read(`${mount}${path}`);
        const pem = asJson(body.data).certificate;
        if (typeof pem === 'string' && pem.includes('BEGIN CERTIFICATE')) ctx.raw.pki.push({ mount, serial, pem, issuer });
        ctx.onObject();
      } catch (e) {
        ctx.scopes.failWith(scope, e);
      }
    };
    try {
      const issuers = await ctx.client.list(`${mount}issuers`);
      if (issuers.length > 0) await forEach(issuers, (ref) => read(`issuer/${ref}`, ref, true));
      else await read('cert/ca', 'ca', true);
      const serials = await ctx.client.list(`${mount}certs`);
      await forEach(serials, (serial) => read(`cert/${serial}`, serial, false));
    } catch (e) {
      ctx.scopes.failWith(scope, e);
    }
    // Roles (their max_ttl bounds every certificate issued): all of them, or null for the mount.
    try {
      const names = await ctx.client.list(`${mount}roles`);
      const roles: Record<string, Json> = {};
      await forEach(names, async (name) => {
        roles[name] = asJson((await ctx.client.read(`${mount}roles/${name}`)).data);
      });
      ctx.raw.pkiRoles[mount] = roles;
    } catch (e) {
      ctx.raw.pkiRoles[mount] = null;
      ctx.scopes.failWith(scope, e);
    }
  });
}
