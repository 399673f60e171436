/**
 * Every `--format` rendered from a findings stream (src/findings/stream.ts), in pieces: JSON, OCSF,
 * CEF, JUnit, the table and SARIF are written as the findings go by (the table and SARIF read the
 * stream twice: counts, then lines); HTML (added by the CLI) reads it once to count, then rule by
 * rule; a format still built from a whole document would get it assembled from the stream.
 */
import { documentOf, type FindingsStream } from '../findings/stream.js';
import { cefLines } from './cef.js';
import { junitPieces } from './junit.js';
import { ocsfLines } from './ocsf.js';
import { sarifPieces } from './sarif.js';
import { tablePieces } from './table.js';
import type { RenderContext, Renderer } from './types.js';

const STREAMING: Record<string, StreamingRenderer> = {
  json: (stream) => stream.text(),
  ocsf: ocsfLines,
  cef: cefLines,
  junit: junitPieces,
  table: tablePieces,
  sarif: sarifPieces,
};

/** A `--format` written from the stream in pieces. */
export type StreamingRenderer = (stream: FindingsStream, ctx: RenderContext) => Iterable<string | Uint8Array>;

/**
 * `renderers` is the whole `--format` map (src/cli/formats.ts), for the formats built from a whole
 * document; `streamingExtra` the streaming formats of other layers the CLI adds (HTML, the evidence
 * layer's page), preferred to their whole-document renderer.
 */
export function renderStream(format: string, stream: FindingsStream, ctx: RenderContext, renderers: Record<string, Renderer>, streamingExtra: Record<string, StreamingRenderer> = {}): Iterable<string | Uint8Array> {
  const streaming = STREAMING[format] ?? streamingExtra[format];
  if (streaming) return streaming(stream, ctx);
  const render = renderers[format];
  if (!render) throw new Error(`unknown format ${format}`);
  return [render(documentOf(stream), ctx)];
}
