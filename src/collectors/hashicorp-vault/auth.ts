/**
 * Logs the collector in: a token from the environment, or AppRole, Kubernetes, JWT or Azure managed
 * identity login. Credentials come from environment variables or files named in the config, are sent
 * only to the login endpoint and never logged or kept beyond the client.
 */
import { readFile } from 'node:fs/promises';
import type { Environment } from '../types.js';
import { TransientError, isTransientNetworkError, isTransientStatus, parseRetryAfter, withRetries } from '../../util/retry.js';
import type { VaultClient } from './client.js';
import type { HashicorpAuth, HashicorpClusterConfig } from './config.js';
import { asJson } from './raw.js';

export class LoginError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoginError';
  }
}

const DEFAULT_IMDS = 'http://169.254.169.254';

/** Auth mount paths the guard must let a login POST through. */
export function loginMounts(auth: HashicorpAuth): string[] {
  return auth.method === 'token' ? [] : [auth.mount ?? auth.method];
}

async function fromFile(path: string, what: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (e) {
    throw new LoginError(`cannot read the ${what} file "${path}" (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function fromEnv(env: Environment, name: string, what: string): string {
  const v = env[name];
  if (!v) throw new LoginError(`${what}: environment variable ${name} is not set`);
  return v;
}

async function azureManagedIdentityToken(auth: Extract<HashicorpAuth, { method: 'azure' }>, deadline: number, timeoutMs: number): Promise<string> {
  const base = (auth.imds_endpoint ?? DEFAULT_IMDS).replace(/\/+$/, '');
  const url = `${base}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${encodeURIComponent(auth.resource)}`;
  return withRetries(
    async () => {
      const res = await fetch(url, { headers: { Metadata: 'true' }, signal: AbortSignal.timeout(Math.max(1, Math.min(timeoutMs, deadline - Date.now()))) });
      if (isTransientStatus(res.status)) throw new TransientError(`managed identity endpoint: HTTP ${res.status}`, parseRetryAfter(res.headers.get('retry-after')), res.status);
      if (!res.ok) throw new LoginError(`managed identity endpoint answered HTTP ${res.status}`);
      const body = (await res.json()) as { access_token?: unknown };
      if (typeof body.access_token !== 'string') throw new LoginError('managed identity endpoint returned no access_token');
      return body.access_token;
    },
    { attempts: 4, baseDelayMs: 250, maxDelayMs: 5000, deadline },
    (e) => e instanceof TransientError || isTransientNetworkError(e),
  );
}

/** Sets the client's token; throws LoginError (or the client's error) when login is impossible. */
export async function login(client: VaultClient, cluster: HashicorpClusterConfig, deadline: number, env: Environment): Promise<void> {
  const auth = cluster.auth;
  if (auth.method === 'token') {
    client.setToken(fromEnv(env, auth.token_env, 'token auth'));
    return;
  }
  const mount = auth.mount ?? auth.method;
  let body: Record<string, unknown>;
  switch (auth.method) {
    case 'approle':
      body = { role_id: fromEnv(env, auth.role_id_env, 'approle auth'), secret_id: fromEnv(env, auth.secret_id_env, 'approle auth') };
      break;
    case 'kubernetes':
      body = { role: auth.role, jwt: await fromFile(auth.jwt_file, 'service account token') };
      break;
    case 'jwt': {
      const jwt = auth.jwt_env ? fromEnv(env, auth.jwt_env, 'jwt auth') : auth.jwt_file ? await fromFile(auth.jwt_file, 'JWT') : undefined;
      if (!jwt) throw new LoginError('jwt auth: set jwt_env or jwt_file');
      body = { role: auth.role, jwt };
      break;
    }
    case 'azure': {
      const jwt = await azureManagedIdentityToken(auth, deadline, cluster.timeout_seconds * 1000);
      body = { role: auth.role, jwt };
      for (const k of ['subscription_id', 'resource_group_name', 'vm_name', 'vmss_name'] as const) if (auth[k]) body[k] = auth[k];
      break;
    }
  }
  const res = await client.post(`auth/${mount.replace(/\/+$/, '')}/login`, body);
  const token = asJson(res.auth).client_token;
  if (typeof token !== 'string' || token === '') throw new LoginError(`${auth.method} login at auth/${mount} returned no client token`);
  client.setToken(token);
}
