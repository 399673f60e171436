import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { pae, signEnvelope, verifyEnvelope, type DsseEnvelope } from '../../src/evidence/dsse.js';
import { describePublicKey, verifySignature } from '../../src/evidence/signers/public-key.js';
import { fixture, testSigner } from './helpers.js';

interface Vectors {
  protocol: { payloadType: string; body: string; pae: string; ecdsaP256: { x: string; y: string; d: string }; envelope: DsseEnvelope };
  ed25519Keys: Record<string, { seed: string; public: string }>;
  vectors: Array<{ id: string; envelope: DsseEnvelope; supported: string; pae: string; expect: 'accept' | 'reject' }>;
}
const v = fixture<Vectors>('dsse-vectors.json');
const b64u = (dec: string) => Buffer.from(BigInt(dec).toString(16).padStart(64, '0'), 'hex').toString('base64url');

describe('DSSE', () => {
  it('encodes the PAE of the protocol test vector', () => {
    expect(pae(v.protocol.payloadType, Buffer.from(v.protocol.body)).toString('utf8')).toBe(v.protocol.pae);
  });

  it('verifies the protocol test vector signature (ECDSA P-256, r || s) with its published key', () => {
    const { x, y, d } = v.protocol.ecdsaP256;
    const pub = describePublicKey(createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64u(x), y: b64u(y) }, format: 'jwk' }), 'vector');
    const result = verifyEnvelope(v.protocol.envelope, pub, v.protocol.payloadType);
    expect(result).toMatchObject({ ok: true });
    expect(result.body?.toString()).toBe('hello world');
    // The private scalar d belongs to the same key: a fresh signature from it verifies too.
    const priv = createPrivateKey({ key: { kty: 'EC', crv: 'P-256', x: b64u(x), y: b64u(y), d: b64u(d) }, format: 'jwk' });
    const msg = pae(v.protocol.payloadType, Buffer.from(v.protocol.body));
    expect(verifySignature(pub, msg, sign('sha256', msg, { key: priv, dsaEncoding: 'ieee-p1363' }))).toBe(true);
    // And a changed body does not.
    const forged = { ...v.protocol.envelope, payload: Buffer.from('hello world!').toString('base64') };
    expect(verifyEnvelope(forged, pub, v.protocol.payloadType).ok).toBe(false);
  });

  it.each(v.vectors.map((x) => [x.id, x] as const))('test vector %s', async (_id, vec) => {
    const key = v.ed25519Keys.A!;
    const signer = testSigner(key.seed, key.public);
    const pub = describePublicKey(createPublicKey(await signer.publicKeyPem()), 'A');
    const body = Buffer.from(vec.envelope.payload.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    // `pae` is what the signature covers; for the swapped-type vector that is the original type's PAE.
    expect(pae(vec.envelope.payloadType, body).toString('hex') === vec.pae).toBe(vec.id !== 'payload-type-swapped');
    expect(verifyEnvelope(vec.envelope, pub, vec.supported).ok).toBe(vec.expect === 'accept');
    if (vec.expect === 'accept') {
      // Ed25519 is deterministic: our signer reproduces the vector's signature byte for byte.
      const ours = await signEnvelope(vec.envelope.payloadType, body, signer);
      expect(Buffer.from(ours.signatures[0]!.sig, 'base64')).toEqual(Buffer.from(vec.envelope.signatures[0]!.sig.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
    }
  });

  it('rejects a signature from another key, a bad base64 payload, and a swapped payload type', async () => {
    const signer = testSigner();
    const env = await signEnvelope('application/vnd.in-toto+json', Buffer.from('{"a":1}'), signer);
    const other = describePublicKey(createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(v.ed25519Keys.A!.public, 'hex').toString('base64url') }, format: 'jwk' }), 'A');
    const mine = describePublicKey(createPublicKey(await signer.publicKeyPem()), 'mine');
    expect(verifyEnvelope(env, mine, 'application/vnd.in-toto+json').ok).toBe(true);
    const stranger = testSigner('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb', '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c');
    const strangerPub = describePublicKey(createPublicKey(await stranger.publicKeyPem()), 'B');
    expect(verifyEnvelope(env, strangerPub, 'application/vnd.in-toto+json')).toMatchObject({ ok: false, detail: expect.stringMatching(/no signature verifies/) });
    expect(other.fingerprint).toBe(mine.fingerprint);
    expect(verifyEnvelope({ ...env, payload: 'ab$c' }, mine, 'application/vnd.in-toto+json')).toMatchObject({ ok: false, detail: 'payload is not valid base64' });
    expect(verifyEnvelope({ ...env, payloadType: 'application/json' }, mine, 'application/vnd.in-toto+json').ok).toBe(false);
  });
});
