/** Renderers are pure functions over a findings document plus a context; the CLI does the writing (DESIGN §8.2). */
import type { RuleCatalog, RuleMeta } from '../findings/catalog.js';
import type { FindingResource, FindingsDocument, Waiver } from '../findings/types.js';
import type { Snapshot } from '../snapshot/types.js';
import type { SnapshotFile } from '../snapshot/snapshot-file.js';

/**
 * A snapshot read vault by vault: its head, its vault ids (and, when they differ, in the file's order)
 * and one vault at a time (a SnapshotFile is one).
 */
export type SnapshotReader = Pick<SnapshotFile, 'head' | 'vaultIds' | 'readVault'> & { readonly vaultIdsInFileOrder?: readonly string[] };

export interface RenderContext {
  toolVersion: string;
  /** Catalog metadata by rule id. */
  rules: Record<string, RuleMeta>;
  /** Width for terminal output, when known. */
  columns?: number;
  /** Whether ANSI colour may be used. */
  color?: boolean;
  /**
   * The snapshot the findings judged (held whole, or read vault by vault), the waivers in the file and
   * the catalog: for the HTML report only.
   */
  snapshot?: Snapshot | SnapshotReader;
  waivers?: Waiver[];
  catalog?: RuleCatalog;
  /** For SARIF only: where results point and the rule page links (renderers/sarif-locations.ts). */
  sarif?: SarifOptions;
}

export type Renderer = (doc: FindingsDocument, ctx: RenderContext) => string;

/** Where SARIF results point and where their rules' pages are (sarif.ts; the CLI fills it through sarif-locations.ts). */
export interface SarifOptions {
  /** Results kept per run (default 25,000). */
  maxResults?: number;
  /**
   * Repository-relative file the results point at: the `vaultproof.yaml` that declares the vaults;
   * `lineOf` gives the line of the block a finding's resource concerns, if known (else line 1).
   */
  locationFile?: { uri: string; lineOf?: (resource: FindingResource) => number | undefined };
  /**
   * Repository-relative directory that holds the rule policies (`policies/...`; `''` for the repository
   * root), when the scanned repository contains them. Used only without a `locationFile`.
   */
  policyRoot?: string;
  /** Base URL of the rule pages: a rule's `helpUri` is `<ruleDocsBase>/<ID>.md` (default: the project's). */
  ruleDocsBase?: string;
  /** The tool's home page, `driver.informationUri` (default: the project's). */
  informationUri?: string;
}
