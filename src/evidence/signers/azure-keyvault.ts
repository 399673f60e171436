/**
 * Signs with a key held in Azure Key Vault: the private key never leaves the vault. The SHA-256 digest
 * of the DSSE PAE goes to the `sign` operation (ES256 for EC P-256 keys, PS256 for RSA keys); the
 * public half comes from `get key` and each signature is checked against it before it is used.
 */
import type { TokenCredential } from '@azure/core-auth';
import { CryptographyClient, KeyClient, parseKeyVaultKeyIdentifier, type KeyClientOptions, type KeyVaultKey } from '@azure/keyvault-keys';
import { createHash, createPublicKey, type JsonWebKey as NodeJwk } from 'node:crypto';
import { describePublicKey, verifySignature, type PublicKeyInfo } from './public-key.js';
import type { Signer } from './types.js';

export interface AzureKeyVaultSignerOptions {
  /** Defaults to DefaultAzureCredential. */
  credential?: TokenCredential;
  /** Passed to the Key Vault clients (serviceVersion, an https agent for a test CA, ...). */
  clientOptions?: KeyClientOptions;
  /** Per-call timeout in ms (default 30 s); the SDK retries transient failures itself, honouring Retry-After. */
  timeoutMs?: number;
}

export async function loadAzureKeyVaultSigner(keyIdUrl: string, opts: AzureKeyVaultSignerOptions = {}): Promise<Signer> {
  let id: ReturnType<typeof parseKeyVaultKeyIdentifier>;
  try {
    id = parseKeyVaultKeyIdentifier(keyIdUrl);
  } catch (err) {
    throw new Error(`azure-keyvault:${keyIdUrl}: expected a key id URL https://<vault>/keys/<name>[/<version>] (${(err as Error).message})`);
  }
  const credential = opts.credential ?? (await defaultCredential());
  const clientOptions: KeyClientOptions = { retryOptions: { maxRetries: 3, maxRetryDelayInMs: 20_000 }, ...opts.clientOptions };
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const keys = new KeyClient(id.vaultUrl, credential, clientOptions);
  let key: KeyVaultKey;
  try {
    key = await keys.getKey(id.name, { version: id.version ?? '', abortSignal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new Error(`Azure Key Vault key ${keyIdUrl}: cannot read the public key (${describeError(err)})`);
  }
  const pub = publicKeyOf(key, keyIdUrl);
  const alg = pub.algorithm === 'ecdsa-p256-sha256' ? 'ES256' : pub.algorithm === 'rsa-pss-sha256' ? 'PS256' : undefined;
  if (!alg) throw new Error(`Azure Key Vault key ${keyIdUrl}: unsupported key type ${key.keyType}`);
  const crypto = new CryptographyClient(key, credential, clientOptions);
  const keyid = key.id ?? keyIdUrl;
  return {
    keyid,
    algorithm: pub.algorithm,
    description: `Azure Key Vault key ${keyid}`,
    publicKeyPem: async () => pub.pem,
    async sign(message) {
      const digest = createHash('sha256').update(message).digest();
      let result: Uint8Array;
      try {
        result = (await crypto.sign(alg, digest, { abortSignal: AbortSignal.timeout(timeoutMs) })).result;
      } catch (err) {
        throw new Error(`Azure Key Vault key ${keyid}: sign failed (${describeError(err)})`);
      }
      if (!verifySignature(pub, message, result)) {
        throw new Error(`Azure Key Vault key ${keyid}: the returned ${alg} signature does not verify with the key's public half`);
      }
      return result;
    },
  };
}

function publicKeyOf(key: KeyVaultKey, source: string): PublicKeyInfo {
  const jwk = key.key;
  const b64u = (v: Uint8Array | undefined) => (v ? Buffer.from(v).toString('base64url') : undefined);
  let nodeJwk: NodeJwk;
  if (jwk?.kty === 'EC' || jwk?.kty === 'EC-HSM') {
    nodeJwk = { kty: 'EC', crv: jwk.crv, x: b64u(jwk.x), y: b64u(jwk.y) };
  } else if (jwk?.kty === 'RSA' || jwk?.kty === 'RSA-HSM') {
    nodeJwk = { kty: 'RSA', n: b64u(jwk.n), e: b64u(jwk.e) };
  } else {
    throw new Error(`Azure Key Vault key ${source}: key type ${jwk?.kty ?? 'unknown'} cannot sign; expected EC P-256 or RSA`);
  }
  try {
    return describePublicKey(createPublicKey({ key: nodeJwk, format: 'jwk' }), source);
  } catch (err) {
    throw new Error(`Azure Key Vault key ${source}: ${(err as Error).message}`);
  }
}

async function defaultCredential(): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential();
}

function describeError(err: unknown): string {
  const e = err as { statusCode?: number; code?: string; message?: string };
  return [e.statusCode ? `HTTP ${e.statusCode}` : undefined, e.code, e.message].filter(Boolean).join(': ');
}
