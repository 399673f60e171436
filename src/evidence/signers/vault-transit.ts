/**
 * Signs with a HashiCorp Vault transit key over the HTTP API (`POST /v1/<mount>/sign/<key>`); the
 * private key never leaves Vault. The key's public half (`GET /v1/<mount>/keys/<key>`) is embedded in
 * the statement and every signature is checked against it before use. Ed25519, ECDSA P-256 (JWS
 * marshaling, i.e. r || s) and RSA (PSS, salt = digest length) keys are supported.
 */
import { createPublicKey } from 'node:crypto';
import { DEFAULT_RETRY, TransientError, isTransientStatus, parseRetryAfter, withRetries, type RetryOptions } from '../../util/retry.js';
import { decodeBase64Strict } from '../encoding.js';
import { describePublicKey, publicKeyFromPem, verifySignature, type PublicKeyInfo } from './public-key.js';
import type { Signer } from './types.js';

export interface VaultTransitTarget {
  address: string;
  mount: string;
  key: string;
}

export interface VaultTransitSignerOptions {
  /** Defaults to VAULT_TOKEN in `env`. */
  token?: string;
  /** Defaults to VAULT_NAMESPACE in `env` (Vault Enterprise). */
  namespace?: string;
  /** The environment the CLI passes (only src/cli reads process.env). */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  retry?: RetryOptions;
}

/** `https://vault:8200/transit/cab-signing` → address, mount `transit`, key `cab-signing`. */
export function parseVaultTransitSpec(spec: string): VaultTransitTarget {
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw new Error(`vault-transit:${spec}: expected ADDR/MOUNT/KEY, e.g. vault-transit:https://vault.example:8200/transit/cab-signing`);
  }
  const parts = url.pathname.split('/').filter(Boolean);
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || parts.length < 2) {
    throw new Error(`vault-transit:${spec}: expected ADDR/MOUNT/KEY, e.g. vault-transit:https://vault.example:8200/transit/cab-signing`);
  }
  return { address: url.origin, mount: parts.slice(0, -1).join('/'), key: parts[parts.length - 1]! };
}

export async function loadVaultTransitSigner(spec: string, opts: VaultTransitSignerOptions = {}): Promise<Signer> {
  const target = parseVaultTransitSpec(spec);
  const token = opts.token ?? opts.env?.VAULT_TOKEN;
  if (!token) throw new Error(`vault-transit:${spec}: no Vault token; set VAULT_TOKEN`);
  const call = vaultCaller(target, token, opts.namespace ?? opts.env?.VAULT_NAMESPACE, opts.timeoutMs ?? 30_000, opts.retry ?? DEFAULT_RETRY);
  const where = `Vault transit key ${target.address}/v1/${target.mount}/keys/${target.key}`;

  const info = (await call('GET', `keys/${encodeURIComponent(target.key)}`)) as TransitKeyInfo;
  const version = info.latest_version;
  const entry = info.keys?.[String(version)];
  if (typeof version !== 'number' || !entry || typeof entry !== 'object' || typeof entry.public_key !== 'string') {
    throw new Error(`${where}: no public key for the latest version; is it an asymmetric (signing) key?`);
  }
  const pub = transitPublicKey(info.type, entry.public_key, where);
  const keyid = `${target.address}/v1/${target.mount}/keys/${target.key}#${version}`;
  return {
    keyid,
    algorithm: pub.algorithm,
    description: `Vault transit key ${keyid}`,
    publicKeyPem: async () => pub.pem,
    async sign(message) {
      const body: Record<string, unknown> = { input: Buffer.from(message).toString('base64'), key_version: version };
      if (pub.algorithm === 'ecdsa-p256-sha256') Object.assign(body, { hash_algorithm: 'sha2-256', marshaling_algorithm: 'jws' });
      if (pub.algorithm === 'rsa-pss-sha256') Object.assign(body, { hash_algorithm: 'sha2-256', signature_algorithm: 'pss', salt_length: 'hash' });
      const data = (await call('POST', `sign/${encodeURIComponent(target.key)}`, body)) as { signature?: unknown };
      const m = typeof data.signature === 'string' ? /^vault:v(\d+):(.+)$/.exec(data.signature) : null;
      if (!m) throw new Error(`${where}: sign answered without a vault:v<N>:<signature> value`);
      const sig = decodeBase64Strict(m[2]!, `${where}: signature`);
      if (!verifySignature(pub, message, sig)) {
        throw new Error(`${where}: the returned signature does not verify with version ${version}'s public key`);
      }
      return sig;
    },
  };
}

interface TransitKeyInfo {
  type?: string;
  latest_version?: number;
  keys?: Record<string, { public_key?: string } | number>;
}

function transitPublicKey(type: string | undefined, publicKey: string, where: string): PublicKeyInfo {
  if (type === 'ed25519') {
    // Vault returns the raw 32-byte Ed25519 public key in base64; wrap it as a JWK to get an SPKI key.
    const raw = decodeBase64Strict(publicKey, `${where}: public_key`);
    return describePublicKey(createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' }), where);
  }
  if (type === 'ecdsa-p256' || type?.startsWith('rsa-')) return publicKeyFromPem(publicKey, where);
  throw new Error(`${where}: key type ${type ?? 'unknown'} cannot sign packs; use ed25519, ecdsa-p256 or rsa-*`);
}

function vaultCaller(target: VaultTransitTarget, token: string, namespace: string | undefined, timeoutMs: number, retry: RetryOptions) {
  return async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> => {
    const url = `${target.address}/v1/${target.mount}/${path}`;
    return withRetries(async () => {
      const headers: Record<string, string> = { 'X-Vault-Token': token, 'X-Vault-Request': 'true' };
      if (namespace) headers['X-Vault-Namespace'] = namespace;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      if (isTransientStatus(res.status)) {
        throw new TransientError(`${method} ${url}: HTTP ${res.status}`, parseRetryAfter(res.headers.get('retry-after')), res.status);
      }
      let json: { data?: unknown; errors?: unknown } = {};
      try {
        json = text ? JSON.parse(text) : {};
      } catch {
        throw new Error(`${method} ${url}: HTTP ${res.status}, body is not JSON`);
      }
      if (!res.ok) {
        const errors = Array.isArray(json.errors) ? json.errors.join('; ') : '';
        throw new Error(`${method} ${url}: HTTP ${res.status}${errors ? `: ${errors}` : ''}`);
      }
      if (!json.data || typeof json.data !== 'object') throw new Error(`${method} ${url}: answer has no data object`);
      return json.data;
    }, retry);
  };
}
