/**
 * The findings renderers of this layer, by `--format` name. `--format html` (the evidence pack's report
 * page, src/evidence/view/findings-html.ts) is added by the CLI (src/cli/formats.ts): renderers do not
 * import the evidence layer.
 */
import { renderCef } from './cef.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderOcsf } from './ocsf.js';
import { renderSarif } from './sarif.js';
import { renderTable } from './table.js';
import type { Renderer } from './types.js';

export const RENDERERS: Record<string, Renderer> = {
  table: renderTable,
  json: renderJson,
  sarif: renderSarif,
  junit: renderJunit,
  ocsf: renderOcsf,
  cef: renderCef,
};
