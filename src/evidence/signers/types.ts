/** The seam between the pack writer and whatever holds the private key (local file, Key Vault, Vault transit). */

/**
 * Signature algorithms a pack can carry. ECDSA signatures are IEEE P1363 (r || s), as in the DSSE
 * protocol's test vector; RSA uses PSS with SHA-256 and a salt as long as the digest.
 */
export type SignatureAlgorithm = 'ed25519' | 'ecdsa-p256-sha256' | 'rsa-pss-sha256';

export interface Signer {
  /** Hint stored in the envelope: the key's URL or file fingerprint. Never used for trust. */
  readonly keyid: string;
  readonly algorithm: SignatureAlgorithm;
  /** Where the key lives, for the report: `ed25519 key file`, `Azure Key Vault key ...`, `Vault transit key ...`. */
  readonly description: string;
  /** The public half as SPKI PEM, embedded in the signed statement so a reader sees who signed. */
  publicKeyPem(): Promise<string>;
  /** Signs the DSSE PAE bytes (the remote signers hash them first where their API signs a digest). */
  sign(message: Uint8Array): Promise<Uint8Array>;
}
