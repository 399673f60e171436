/**
 * A small local fake of the two Key Vault key operations the signer uses, written from the Key Vault
 * REST reference: `GET {vault}/keys/{name}/{version}` (KeyBundle with the public JWK) and
 * `POST {vault}/keys/{name}/{version}/sign` ({alg, value: base64url digest} → {kid, value}). It answers
 * an unauthenticated request with the Bearer challenge the SDK expects, over HTTPS on 127.0.0.1.
 */
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { selfSignedCert, signDigest } from './tls.js';

export interface FakeKey {
  name: string;
  version: string;
  kty: 'EC' | 'RSA';
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface KeyVaultFake {
  url: string;
  ca: string;
  keys: Map<string, FakeKey>;
  requests: Array<{ method: string; path: string; auth: string | undefined; body?: unknown }>;
  close(): Promise<void>;
}

export function makeKey(name: string, kty: 'EC' | 'RSA'): FakeKey {
  const pair = kty === 'EC' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { name, version: createHash('sha256').update(name).digest('hex').slice(0, 32), kty, ...pair };
}

export async function startKeyVaultFake(keys: FakeKey[]): Promise<KeyVaultFake> {
  const tls = selfSignedCert();
  const fake: Omit<KeyVaultFake, 'url' | 'close'> = { ca: tls.cert, keys: new Map(keys.map((k) => [k.name, k])), requests: [] };
  let base = '';
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', base);
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? JSON.parse(text) : undefined;
      fake.requests.push({ method: req.method ?? '', path: url.pathname, auth: req.headers.authorization, body });
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      };
      if (!req.headers.authorization?.startsWith('Bearer ')) {
        return send(401, { error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } }, {
          'www-authenticate': 'Bearer authorization="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001", resource="https://vault.azure.net"',
        });
      }
      if (!url.searchParams.get('api-version')) return send(400, { error: { code: 'BadParameter', message: 'api-version missing' } });
      const m = /^\/keys\/([^/]+)(?:\/([^/]*))?(\/sign)?$/.exec(url.pathname);
      const key = m ? fake.keys.get(decodeURIComponent(m[1]!)) : undefined;
      if (!m || !key || (m[2] && m[2] !== key.version)) return send(404, { error: { code: 'KeyNotFound', message: 'A key with (name/id) was not found in this key vault.' } });
      const kid = `${base}/keys/${key.name}/${key.version}`;
      if (req.method === 'GET' && !m[3]) {
        const jwk = key.publicKey.export({ format: 'jwk' });
        return send(200, {
          key: { kid, kty: key.kty, key_ops: ['sign', 'verify'], ...(key.kty === 'EC' ? { crv: 'P-256', x: jwk.x, y: jwk.y } : { n: jwk.n, e: jwk.e }) },
          attributes: { enabled: true, created: 1790000000, updated: 1790000000, recoveryLevel: 'Recoverable+Purgeable' },
        });
      }
      if (req.method === 'POST' && m[3]) {
        const { alg, value } = (body ?? {}) as { alg?: string; value?: string };
        const expected = key.kty === 'EC' ? 'ES256' : 'PS256';
        if (alg !== expected || typeof value !== 'string') return send(400, { error: { code: 'BadParameter', message: `alg ${alg} not supported for ${key.kty}` } });
        const digest = Buffer.from(value, 'base64url');
        if (digest.length !== 32) return send(400, { error: { code: 'BadParameter', message: 'digest must be 32 bytes for ES256/PS256' } });
        const pem = key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
        const sig = signDigest(pem, digest, key.kty === 'EC' ? 'ecdsa' : 'rsa-pss');
        return send(200, { kid, value: sig.toString('base64url') });
      }
      return send(405, { error: { code: 'MethodNotAllowed', message: 'not supported by the fake' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ...fake,
    url: base,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
