/**
 * The one map of `--format` outputs; `--format` and `--output` take their choices from here. The
 * findings renderers come from src/renderers/registry.ts; `html` is the evidence pack's report page
 * rendered without a signing key (src/evidence/view/findings-html.ts), so the CLI, which may import
 * every layer, adds it here instead of src/renderers importing the evidence layer.
 */
import { findingsHtmlPieces, renderFindingsHtml } from '../evidence/view/findings-html.js';
import { RENDERERS as FINDINGS_RENDERERS } from '../renderers/registry.js';
import type { StreamingRenderer } from '../renderers/stream.js';
import type { Renderer } from '../renderers/types.js';

export const RENDERERS: Record<string, Renderer> = { ...FINDINGS_RENDERERS, html: renderFindingsHtml };

/** The formats of other layers written from the findings stream in pieces (renderers/stream.ts renderStream). */
export const STREAMING_RENDERERS: Record<string, StreamingRenderer> = { html: findingsHtmlPieces };

export const FORMATS = Object.keys(RENDERERS);
