/**
 * Findings as an ordered stream: the document's head (scan, summary) and its findings in document
 * order (rule_id, resource.id), read as often as a consumer needs, without the consumer knowing
 * whether they are held in memory or spilled to disk (engine/evaluate-file.ts). Renderers, the SIEM
 * delivery and the evidence pack read findings from here; the JSON text is the canonical one
 * (json-text.ts) in both cases.
 */
import type { DocumentHead } from './document.js';
import { documentHeadText, FindingTextRenderer, FINDINGS_END, jsonChunks } from './json-text.js';
import type { Finding, FindingsDocument } from './types.js';

export interface FindingsStream {
  /** Everything of the document but its findings; the summary counts every finding, shown or not. */
  readonly head: DocumentHead;
  /** Findings the stream yields (with `--only-failures`, the failures only). */
  readonly count: number;
  /**
   * The findings in document order; every call starts again from the first. With `rules`, only
   * those rules' findings (a spilled stream then reads only their part of the spill).
   */
  findings(rules?: ReadonlySet<string>): Iterable<Finding>;
  /** The findings document's canonical JSON text, in pieces. */
  text(): Iterable<string | Uint8Array>;
}

/** A document held in memory, as a stream. */
export function streamOf(doc: FindingsDocument): FindingsStream {
  const { findings, ...head } = doc;
  return { head, count: findings.length, findings: (rules) => (rules ? findings.filter((f) => rules.has(f.rule_id)) : findings), text: () => jsonChunks(doc) };
}

/** The whole document, for consumers that still need it held at once. */
export function documentOf(stream: FindingsStream): FindingsDocument {
  return { ...stream.head, findings: [...stream.findings()] };
}

/**
 * The findings of `stream` that `keep` accepts, as a stream with the same head (the summary still
 * counts every finding): `--only-failures` and `--severity` over the one evaluation. Read lazily;
 * the count takes a pass over the findings the first time it is asked for.
 */
export function filteredStream(stream: FindingsStream, keep: (f: Finding) => boolean): FindingsStream {
  function* findings(rules?: ReadonlySet<string>): Generator<Finding> {
    for (const f of stream.findings(rules)) if (keep(f)) yield f;
  }
  let count: number | undefined;
  return {
    head: stream.head,
    get count() {
      if (count === undefined) {
        count = 0;
        for (const _ of findings()) count++;
      }
      return count;
    },
    findings,
    text: () => documentText(stream.head, findings()),
  };
}

/** The document's canonical text from its head and its findings in order, in pieces (as `jsonChunks`). */
export function* documentText(head: DocumentHead, findings: Iterable<Finding>): Generator<string> {
  const it = findings[Symbol.iterator]();
  let next = it.next();
  yield documentHeadText(head, !next.done);
  if (next.done) return;
  const texts = new FindingTextRenderer();
  while (!next.done) {
    const f = next.value;
    next = it.next();
    yield `${texts.text(f)}${next.done ? '' : ','}\n`;
  }
  yield FINDINGS_END;
}
