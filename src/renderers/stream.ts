/**
 * Every `--format` rendered from a findings stream (src/findings/stream.ts), in pieces: JSON, OCSF,
 * CEF and JUnit are written as the findings go by; the formats still built from a whole document
 * (table, SARIF, HTML) get it assembled from the stream.
 */
import { documentOf, type FindingsStream } from '../findings/stream.js';
import { cefLines } from './cef.js';
import { junitPieces } from './junit.js';
import { ocsfLines } from './ocsf.js';
import type { RenderContext, Renderer } from './types.js';

const STREAMING: Record<string, (stream: FindingsStream, ctx: RenderContext) => Iterable<string | Uint8Array>> = {
  json: (stream) => stream.text(),
  ocsf: ocsfLines,
  cef: cefLines,
  junit: junitPieces,
};

/** `renderers` is the whole `--format` map (src/cli/formats.ts), for the formats built from a whole document. */
export function renderStream(format: string, stream: FindingsStream, ctx: RenderContext, renderers: Record<string, Renderer>): Iterable<string | Uint8Array> {
  const streaming = STREAMING[format];
  if (streaming) return streaming(stream, ctx);
  const render = renderers[format];
  if (!render) throw new Error(`unknown format ${format}`);
  return [render(documentOf(stream), ctx)];
}
