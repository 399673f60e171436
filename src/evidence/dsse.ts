/**
 * DSSE v1 (Dead Simple Signing Envelope): the pre-authentication encoding, the JSON envelope, and
 * signing/verifying it with any {@link Signer}. Written to secure-systems-lab/dsse protocol.md and
 * envelope.md; tested against the protocol's published test vector.
 */
import { decodeBase64Strict } from './encoding.js';
import type { Signer } from './signers/types.js';
import { verifySignature, type PublicKeyInfo } from './signers/public-key.js';

export interface DsseSignature {
  keyid: string;
  sig: string;
}

export interface DsseEnvelope {
  payload: string;
  payloadType: string;
  signatures: DsseSignature[];
}

/** PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, LEN in bytes, decimal. */
export function pae(payloadType: string, body: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'ascii'),
    type,
    Buffer.from(` ${body.length} `, 'ascii'),
    body,
  ]);
}

export async function signEnvelope(payloadType: string, body: Uint8Array, signer: Signer): Promise<DsseEnvelope> {
  const sig = await signer.sign(pae(payloadType, body));
  return {
    payload: Buffer.from(body).toString('base64'),
    payloadType,
    signatures: [{ keyid: signer.keyid, sig: Buffer.from(sig).toString('base64') }],
  };
}

/** Structural check of a parsed envelope; names the first field that is wrong. */
export function parseEnvelope(value: unknown, file: string): DsseEnvelope {
  const v = value as Partial<DsseEnvelope> | null;
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${file}: expected a DSSE envelope object`);
  if (typeof v.payload !== 'string') throw new Error(`${file}: $.payload: expected a base64 string`);
  if (typeof v.payloadType !== 'string') throw new Error(`${file}: $.payloadType: expected a string`);
  if (!Array.isArray(v.signatures) || v.signatures.length === 0) {
    throw new Error(`${file}: $.signatures: expected a non-empty array`);
  }
  v.signatures.forEach((s, i) => {
    if (!s || typeof s.sig !== 'string') throw new Error(`${file}: $.signatures[${i}].sig: expected a base64 string`);
    if (s.keyid !== undefined && typeof s.keyid !== 'string') throw new Error(`${file}: $.signatures[${i}].keyid: expected a string`);
  });
  return v as DsseEnvelope;
}

export interface EnvelopeVerification {
  ok: boolean;
  /** The decoded payload, set only when a signature verified. */
  body?: Buffer;
  detail: string;
}

/**
 * Verifies a (1, n) envelope: accepted when at least one signature verifies with `key` over the PAE
 * and the payload type is the expected one. The keyid is a hint only and never decides acceptance.
 */
export function verifyEnvelope(env: DsseEnvelope, key: PublicKeyInfo, expectedPayloadType: string): EnvelopeVerification {
  let body: Buffer;
  try {
    body = decodeBase64Strict(env.payload, 'payload');
  } catch (err) {
    return { ok: false, detail: (err as Error).message };
  }
  const message = pae(env.payloadType, body);
  const verified = env.signatures.some((s) => {
    try {
      return verifySignature(key, message, decodeBase64Strict(s.sig, 'signature'));
    } catch {
      return false;
    }
  });
  if (!verified) return { ok: false, detail: `no signature verifies with key ${key.fingerprint}` };
  if (env.payloadType !== expectedPayloadType) {
    return { ok: false, detail: `payload type is ${JSON.stringify(env.payloadType)}, expected ${JSON.stringify(expectedPayloadType)}` };
  }
  return { ok: true, body, detail: `signature verifies with key ${key.fingerprint}` };
}
