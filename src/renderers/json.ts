import type { FindingsDocument } from '../engine/findings.js';
import type { Renderer } from './types.js';

/**
 * The findings document in pieces whose concatenation is exactly `JSON.stringify(doc, null, 2) + '\n'`:
 * the head, then one piece per finding. A large fleet's document can pass V8's ~512 MiB string limit
 * as a whole; written piece by piece it never has to exist as one string.
 */
export function* jsonChunks(doc: FindingsDocument): Generator<string> {
  const { findings, ...rest } = doc;
  // `findings` is the document's last key: render the rest with an empty array, then open it.
  const head = JSON.stringify({ ...rest, findings: [] }, null, 2);
  const marker = '"findings": []\n}';
  if (!head.endsWith(marker)) throw new Error('findings must be the last key of the findings document');
  if (findings.length === 0) {
    yield head + '\n';
    return;
  }
  yield head.slice(0, head.length - marker.length) + '"findings": [\n';
  for (let i = 0; i < findings.length; i++) {
    const body = JSON.stringify(findings[i], null, 2).replace(/\n/g, '\n    ');
    yield `    ${body}${i < findings.length - 1 ? ',' : ''}\n`;
  }
  yield '  ]\n}\n';
}

/** The findings document exactly as the contract defines it, two-space indented, newline-terminated. */
export const renderJson: Renderer = (doc) => [...jsonChunks(doc)].join('');
