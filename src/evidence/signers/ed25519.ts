/** Signs with a local Ed25519 private key file (PKCS#8 PEM), and makes such key pairs. */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describePublicKey } from './public-key.js';
import type { Signer } from './types.js';

export async function loadEd25519Signer(file: string): Promise<Signer> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot read the signing key (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(text);
  } catch {
    throw new Error(`${file}: not a PEM private key; expected an Ed25519 key in PKCS#8 PEM (see \`vaultproof keygen\`)`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`${file}: the key is ${key.asymmetricKeyType}, expected Ed25519`);
  }
  return ed25519Signer(key, `ed25519 key file ${file}`);
}

export function ed25519Signer(privateKey: KeyObject, description: string): Signer {
  const pub = describePublicKey(createPublicKey(privateKey), description);
  return {
    keyid: pub.fingerprint,
    algorithm: 'ed25519',
    description,
    publicKeyPem: async () => pub.pem,
    sign: async (message) => sign(null, message, privateKey),
  };
}

export interface GeneratedKeyPair {
  privateKeyFile: string;
  publicKeyFile: string;
  fingerprint: string;
}

/**
 * Writes `evidence-signing.key` (PKCS#8 PEM, mode 0600) and `evidence-signing.pub` (SPKI PEM) into
 * `dir`, refusing to overwrite an existing key.
 */
export async function generateEd25519KeyPair(dir: string): Promise<GeneratedKeyPair> {
  await mkdir(dir, { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privateKeyFile = join(dir, 'evidence-signing.key');
  const publicKeyFile = join(dir, 'evidence-signing.pub');
  const pub = describePublicKey(publicKey, publicKeyFile);
  try {
    await writeFile(privateKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${privateKeyFile}: already exists; not overwriting a signing key`);
    throw err;
  }
  await writeFile(publicKeyFile, pub.pem, { mode: 0o644 });
  return { privateKeyFile, publicKeyFile, fingerprint: pub.fingerprint };
}
