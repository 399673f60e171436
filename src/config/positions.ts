/**
 * Where things are declared in vaultproof.yaml: the line of each top-level block and of each vault or
 * cluster entry, so an output can point a reader (or GitHub code scanning) at the line a finding
 * concerns. Read from the YAML node ranges with the `yaml` package's LineCounter; the text has already
 * been parsed and validated by loadConfig, so anything unexpected here is simply not located.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { Provider } from '../snapshot/types.js';

export interface DeclaredVault {
  provider: Provider;
  /** The vault name findings carry in `resource.vault` (Azure: the vault name; HashiCorp: the cluster name). */
  name: string;
  /** 1-based line of the entry (its first key). */
  line: number;
}

export interface ConfigPositions {
  /** 1-based line of each top-level key (`azure`, `hashicorp`, `principals`...). */
  blocks: Record<string, number>;
  /** Vault and cluster entries in the order they are declared. */
  vaults: DeclaredVault[];
}

export function configPositions(text: string): ConfigPositions {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  const lineAt = (node: unknown): number | undefined => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? lines.linePos(range[0]).line : undefined;
  };
  const out: ConfigPositions = { blocks: {}, vaults: [] };
  if (!isMap(doc.contents)) return out;
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    const line = lineAt(pair.key);
    if (line !== undefined && !(key in out.blocks)) out.blocks[key] = line;
    if (key === 'hashicorp') out.vaults.push(...hashicorpClusters(pair.value as Node | null, lineAt));
    if (key === 'azure') out.vaults.push(...azureVaults(pair.value as Node | null, lineAt));
  }
  return out;
}

type LineAt = (node: unknown) => number | undefined;

/** `hashicorp:` is a list of clusters (or one cluster): each entry's `name`. */
function hashicorpClusters(block: Node | null, lineAt: LineAt): DeclaredVault[] {
  const entries = isSeq(block) ? block.items : [block];
  const out: DeclaredVault[] = [];
  for (const entry of entries) {
    if (!isMap(entry)) continue;
    const name = entry.get('name');
    const line = lineAt(entry);
    if (typeof name === 'string' && line !== undefined) out.push({ provider: 'hashicorp-vault', name, line });
  }
  return out;
}

/** `azure:` names vaults in `data_plane_only.vaults` (name, or the URL's first label) and `mapping.vaults` keys. */
function azureVaults(block: Node | null, lineAt: LineAt): DeclaredVault[] {
  if (!isMap(block)) return [];
  const out: DeclaredVault[] = [];
  const listed = block.getIn(['data_plane_only', 'vaults'], true);
  if (isSeq(listed)) {
    for (const entry of listed.items) {
      if (!isMap(entry)) continue;
      const name = entry.get('name');
      const url = entry.get('url');
      const line = lineAt(entry);
      const derived = typeof name === 'string' ? name : typeof url === 'string' ? hostLabel(url) : undefined;
      if (derived && line !== undefined) out.push({ provider: 'azure-keyvault', name: derived, line });
    }
  }
  const mapped = block.getIn(['mapping', 'vaults'], true);
  if (isMap(mapped)) {
    for (const pair of mapped.items) {
      const line = lineAt(pair.key);
      if (isScalar(pair.key) && line !== undefined) out.push({ provider: 'azure-keyvault', name: String(pair.key.value), line });
    }
  }
  return out;
}

function hostLabel(url: string): string | undefined {
  try {
    return new URL(url).hostname.split('.')[0] || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The line a finding about `vault` of `provider` concerns: the vault's or cluster's own entry (a
 * HashiCorp namespace `cluster/ns` is its cluster's), else the provider's block (a vault found by
 * discovery, a principal), else undefined. A secret-scan finding's line is the `secret_scans:` block's.
 */
export function lineOfVault(positions: ConfigPositions, provider: Provider | 'secret-scans', vault: string): number | undefined {
  // A finding about the code the secret scanners read: the `secret_scans:` block that names the reports.
  if (provider === 'secret-scans') return positions.blocks.secret_scans;
  const own = positions.vaults.find((v) => v.provider === provider && (v.name === vault || (provider === 'hashicorp-vault' && vault.startsWith(`${v.name}/`))));
  if (own) return own.line;
  return positions.blocks[provider === 'azure-keyvault' ? 'azure' : 'hashicorp'];
}
