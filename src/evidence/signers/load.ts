/** Turns a `--sign-with` spec into a {@link Signer}: `ed25519:FILE`, `azure-keyvault:KEY_ID_URL`, `vault-transit:ADDR/MOUNT/KEY`. */
import { loadAzureKeyVaultSigner, type AzureKeyVaultSignerOptions } from './azure-keyvault.js';
import { loadEd25519Signer } from './ed25519.js';
import type { Signer } from './types.js';
import { loadVaultTransitSigner, type VaultTransitSignerOptions } from './vault-transit.js';

export interface LoadSignerOptions {
  azure?: AzureKeyVaultSignerOptions;
  vaultTransit?: VaultTransitSignerOptions;
}

export const SIGNER_SPEC_FORMS = ['ed25519:FILE', 'azure-keyvault:KEY_ID_URL', 'vault-transit:ADDR/MOUNT/KEY'] as const;

export async function loadSigner(spec: string, opts: LoadSignerOptions = {}): Promise<Signer> {
  const colon = spec.indexOf(':');
  const kind = colon > 0 ? spec.slice(0, colon) : '';
  const rest = spec.slice(colon + 1);
  if (!rest) throw new Error(`signer ${JSON.stringify(spec)}: expected one of ${SIGNER_SPEC_FORMS.join(', ')}`);
  switch (kind) {
    case 'ed25519':
      return loadEd25519Signer(rest);
    case 'azure-keyvault':
      return loadAzureKeyVaultSigner(rest, opts.azure);
    case 'vault-transit':
      return loadVaultTransitSigner(rest, opts.vaultTransit);
    default:
      throw new Error(`signer ${JSON.stringify(spec)}: expected one of ${SIGNER_SPEC_FORMS.join(', ')}`);
  }
}
