/**
 * Findings as an ordered stream: the document's head (scan, summary) and its findings in document
 * order (rule_id, resource.id), read as often as a consumer needs, without the consumer knowing
 * whether they are held in memory or spilled to disk (engine/evaluate-file.ts). Renderers, the SIEM
 * delivery and the evidence pack read findings from here; the JSON text is the canonical one
 * (json-text.ts) in both cases.
 */
import type { DocumentHead } from './document.js';
import { jsonChunks } from './json-text.js';
import type { Finding, FindingsDocument } from './types.js';

export interface FindingsStream {
  /** Everything of the document but its findings; the summary counts every finding, shown or not. */
  readonly head: DocumentHead;
  /** Findings the stream yields (with `--only-failures`, the failures only). */
  readonly count: number;
  /** The findings in document order; every call starts again from the first. */
  findings(): Iterable<Finding>;
  /** The findings document's canonical JSON text, in pieces. */
  text(): Iterable<string | Uint8Array>;
}

/** A document held in memory, as a stream. */
export function streamOf(doc: FindingsDocument): FindingsStream {
  const { findings, ...head } = doc;
  return { head, count: findings.length, findings: () => findings, text: () => jsonChunks(doc) };
}

/** The whole document, for consumers that still need it held at once. */
export function documentOf(stream: FindingsStream): FindingsDocument {
  return { ...stream.head, findings: [...stream.findings()] };
}
