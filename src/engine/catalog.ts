/**
 * The rule catalog's types moved to src/findings/catalog.ts (issue 18.1): findings, renderers and
 * the engine share them from there. This re-export keeps imports that still name the old path
 * working while they move.
 */
export type { CatalogIndex, RuleCatalog, RuleMeta } from '../findings/catalog.js';
