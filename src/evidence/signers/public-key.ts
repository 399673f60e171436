/** Public keys on the verifying side: parsing a PEM, its fingerprint, and checking a signature with it. */
import { constants, createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { SignatureAlgorithm } from './types.js';

export interface PublicKeyInfo {
  key: KeyObject;
  algorithm: SignatureAlgorithm;
  /** `sha256:<hex>` of the SPKI DER encoding. */
  fingerprint: string;
  pem: string;
}

export function publicKeyFromPem(pem: string, source: string): PublicKeyInfo {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (err) {
    throw new Error(`${source}: not a PEM public key (${(err as Error).message})`);
  }
  return describePublicKey(key, source);
}

export function describePublicKey(key: KeyObject, source: string): PublicKeyInfo {
  const algorithm = algorithmOf(key, source);
  const der = key.export({ type: 'spki', format: 'der' });
  return {
    key,
    algorithm,
    fingerprint: `sha256:${createHash('sha256').update(der).digest('hex')}`,
    pem: key.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function algorithmOf(key: KeyObject, source: string): SignatureAlgorithm {
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      return 'ed25519';
    case 'ec':
      if (key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
        throw new Error(`${source}: EC key on curve ${key.asymmetricKeyDetails?.namedCurve}; only P-256 is supported`);
      }
      return 'ecdsa-p256-sha256';
    case 'rsa':
    case 'rsa-pss':
      return 'rsa-pss-sha256';
    default:
      throw new Error(`${source}: unsupported key type ${key.asymmetricKeyType}; expected Ed25519, EC P-256 or RSA`);
  }
}

export function verifySignature(info: PublicKeyInfo, message: Uint8Array, signature: Uint8Array): boolean {
  switch (info.algorithm) {
    case 'ed25519':
      return verify(null, message, info.key, signature);
    case 'ecdsa-p256-sha256':
      return verify('sha256', message, { key: info.key, dsaEncoding: 'ieee-p1363' }, signature);
    case 'rsa-pss-sha256':
      return verify(
        'sha256',
        message,
        { key: info.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
        signature,
      );
  }
}
