/** Renderers are pure functions over a findings document plus a context; the CLI does the writing (DESIGN §8.2). */
import type { RuleCatalog, RuleMeta } from '../findings/catalog.js';
import type { FindingsDocument, Waiver } from '../findings/types.js';
import type { Snapshot } from '../snapshot/types.js';
import type { SarifOptions } from './sarif.js';

export interface RenderContext {
  toolVersion: string;
  /** Catalog metadata by rule id. */
  rules: Record<string, RuleMeta>;
  /** Width for terminal output, when known. */
  columns?: number;
  /** Whether ANSI colour may be used. */
  color?: boolean;
  /** The snapshot the findings judged, the waivers in the file and the catalog: for the HTML report only. */
  snapshot?: Snapshot;
  waivers?: Waiver[];
  catalog?: RuleCatalog;
  /** For SARIF only: where results point and the rule page links (renderers/sarif-locations.ts). */
  sarif?: SarifOptions;
}

export type Renderer = (doc: FindingsDocument, ctx: RenderContext) => string;
