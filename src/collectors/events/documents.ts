/**
 * Whole-file formats: a JSON document (`{"records": [...]}` or an array) or a YAML list of records.
 * They cannot be streamed, so files above `MAX_DOCUMENT_BYTES` are refused (export JSON lines
 * instead). Each item comes with its line number (YAML) or JSON path.
 */
import { readFile, stat } from 'node:fs/promises';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { recordsOf } from './azure-auditevent.js';
import { describeFsError, SourceUnreadable } from './files.js';
import { jsonReason, own } from './parse-result.js';
import { parseStrictJson, StrictJsonError } from '../../util/strict-json.js';

export const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

export interface DocumentItem {
  value: unknown;
  line: number;
  path: string;
}

async function readBounded(file: string): Promise<string> {
  try {
    const st = await stat(file);
    if (st.size > MAX_DOCUMENT_BYTES) throw new SourceUnreadable(file, `${st.size} bytes is more than a whole-file format allows (${MAX_DOCUMENT_BYTES}); export JSON lines instead`);
    return await readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof SourceUnreadable) throw e;
    throw new SourceUnreadable(file, describeFsError(e));
  }
}

export async function readJsonDocument(file: string): Promise<DocumentItem[]> {
  const text = await readBounded(file);
  let value: unknown;
  try {
    value = parseStrictJson(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    if (!(e instanceof StrictJsonError)) throw e;
    throw new SourceUnreadable(file, jsonReason(text.replace(/^\uFEFF/, ''), e));
  }
  const enveloped = Array.isArray(own(value, 'records'));
  return recordsOf(value).map((v, i) => ({ value: v, line: 1, path: enveloped ? `$.records[${i}]` : Array.isArray(value) ? `$[${i}]` : '$' }));
}

export async function readYamlDocument(file: string): Promise<DocumentItem[]> {
  const text = await readBounded(file);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) throw new SourceUnreadable(file, `invalid YAML at line ${lines.linePos(err.pos[0]).line}: ${err.message.split('\n')[0]}`);
  let seq: Node | null = doc.contents as Node | null;
  let prefix = '$';
  if (isMap(seq)) {
    seq = (seq.get('records', true) as Node | undefined) ?? null;
    prefix = '$.records';
  }
  if (!isSeq(seq)) throw new SourceUnreadable(file, 'expected a YAML list of records (or a mapping with a `records:` list)');
  return seq.items.map((item, i) => {
    const node = item as Node;
    const start = node.range?.[0] ?? 0;
    return { value: node.toJS(doc, { maxAliasCount: 100 }) as unknown, line: lines.linePos(start).line, path: `${prefix}[${i}]` };
  });
}
