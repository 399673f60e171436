/**
 * A small local fake of HashiCorp Vault's transit engine, written from the Vault HTTP API docs:
 * `GET /v1/<mount>/keys/<name>` (type, latest_version, keys{N: {public_key}}) and
 * `POST /v1/<mount>/sign/<name>` (input base64, hash_algorithm, signature_algorithm, salt_length,
 * marshaling_algorithm → data.signature "vault:v<N>:<base64>"). Plain HTTP on 127.0.0.1.
 */
import { constants, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type TransitType = 'ed25519' | 'ecdsa-p256' | 'rsa-2048';

export interface TransitFake {
  url: string;
  token: string;
  requests: Array<{ method: string; path: string; body?: Record<string, unknown> }>;
  /** Answer the next N requests with 503 + Retry-After: 0. */
  failNext: number;
  close(): Promise<void>;
}

export async function startTransitFake(keys: Record<string, TransitType>, mount = 'transit'): Promise<TransitFake> {
  const material = new Map<string, { type: TransitType; privateKey: KeyObject; publicKey: KeyObject }>();
  for (const [name, type] of Object.entries(keys)) {
    const pair = type === 'ed25519' ? generateKeyPairSync('ed25519') : type === 'ecdsa-p256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
    material.set(name, { type, ...pair });
  }
  const fake = { token: 'hvs.fake-test-token', requests: [] as TransitFake['requests'], failNext: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      const path = (req.url ?? '').split('?')[0]!;
      fake.requests.push({ method: req.method ?? '', path, body });
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      };
      if (fake.failNext > 0) {
        fake.failNext--;
        return send(503, { errors: ['Vault is sealed'] }, { 'retry-after': '0' });
      }
      if (req.headers['x-vault-token'] !== fake.token) return send(403, { errors: ['permission denied'] });
      const m = new RegExp(`^/v1/${mount}/(keys|sign)/([^/]+)$`).exec(path);
      const key = m ? material.get(decodeURIComponent(m[2]!)) : undefined;
      if (!m || !key) return send(404, { errors: [] });
      if (m[1] === 'keys' && req.method === 'GET') {
        const public_key = key.type === 'ed25519'
          ? Buffer.from(key.publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('base64')
          : key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
        return send(200, { data: { name: m[2], type: key.type, latest_version: 1, min_decryption_version: 1, supports_signing: true, keys: { '1': { creation_time: '2026-11-01T00:00:00Z', name: key.type === 'ed25519' ? 'ed25519' : 'P-256', public_key } } } });
      }
      if (m[1] === 'sign' && req.method === 'POST' && body && typeof body.input === 'string') {
        const input = Buffer.from(body.input, 'base64');
        let sig: Buffer;
        if (key.type === 'ed25519') sig = sign(null, input, key.privateKey);
        else if (key.type === 'ecdsa-p256') {
          if (body.hash_algorithm !== 'sha2-256') return send(400, { errors: ['unexpected hash_algorithm'] });
          sig = sign('sha256', input, { key: key.privateKey, dsaEncoding: body.marshaling_algorithm === 'jws' ? 'ieee-p1363' : 'der' });
        } else {
          if (body.signature_algorithm !== 'pss') return send(400, { errors: ['unexpected signature_algorithm'] });
          const saltLength = body.salt_length === 'hash' ? constants.RSA_PSS_SALTLEN_DIGEST : constants.RSA_PSS_SALTLEN_MAX_SIGN;
          sig = sign('sha256', input, { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });
        }
        const encoded = key.type === 'ecdsa-p256' && body.marshaling_algorithm === 'jws' ? sig.toString('base64url') : sig.toString('base64');
        return send(200, { data: { signature: `vault:v1:${encoded}`, key_version: 1 } });
      }
      return send(405, { errors: ['unsupported'] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(fake, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  });
}
