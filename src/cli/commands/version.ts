/** `vaultproof --version`: the package version and the digest of the policy bundle it judges with. */
import { loadBundle } from '../../engine/bundle.js';
import { TOOL_VERSION } from '../../version.js';

export function versionText(): { text: string; error?: string } {
  const head = `vaultproof ${TOOL_VERSION}\n`;
  try {
    const bundle = loadBundle();
    return { text: `${head}policy bundle sha256 ${bundle.sha256} (${bundle.catalog.rules.length} rules)\n` };
  } catch (e) {
    // An install without its bundle cannot judge anything: said, and not a success.
    return { text: head, error: `policy bundle unavailable: ${(e as Error).message}` };
  }
}
