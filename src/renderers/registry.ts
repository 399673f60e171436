/** The one map of output formats; `--format` takes its choices from here. */
import { renderCef } from './cef.js';
import { renderFindingsHtml } from './findings-html.js';
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
  html: renderFindingsHtml,
};

export const FORMATS = Object.keys(RENDERERS);
