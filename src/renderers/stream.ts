/**
 * Every `--format` rendered from a findings stream (src/findings/stream.ts), in pieces: JSON, OCSF,
 * CEF and JUnit are written as the findings go by; the formats still built from a whole document
 * (table, SARIF, HTML) get it assembled from the stream.
 */
import { documentOf, type FindingsStream } from '../findings/stream.js';
import { cefLines } from './cef.js';
import { junitPieces } from './junit.js';
import { ocsfLines } from './ocsf.js';
import { RENDERERS } from './registry.js';
import type { RenderContext } from './types.js';

const STREAMING: Record<string, (stream: FindingsStream, ctx: RenderContext) => Iterable<string | Uint8Array>> = {
  json: (stream) => stream.text(),
  ocsf: ocsfLines,
  cef: cefLines,
  junit: junitPieces,
};

export function renderStream(format: string, stream: FindingsStream, ctx: RenderContext): Iterable<string | Uint8Array> {
  const streaming = STREAMING[format];
  if (streaming) return streaming(stream, ctx);
  const render = RENDERERS[format];
  if (!render) throw new Error(`unknown format ${format}`);
  return [render(documentOf(stream), ctx)];
}
