/** The one map of output formats; `--format` takes its choices from here. */
import { renderJson } from './json.js';
import { renderTable } from './table.js';
import type { Renderer } from './types.js';

export const RENDERERS: Record<string, Renderer> = {
  table: renderTable,
  json: renderJson,
};

export const FORMATS = Object.keys(RENDERERS);
