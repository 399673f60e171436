/**
 * The file formats consumer configurations are written in, parsed with the project's parsers (HCL:
 * `hcl2-parser`, HashiCorp's hcl/v2 through hcl2json; YAML: `yaml`; JSON: the strict JSON parser).
 * A file that does not parse throws ConsumerFileError naming the file, the line and what was
 * expected; no message ever quotes the file's content (a configuration file may hold a secret).
 */
import { createRequire } from 'node:module';
import { isMap, isScalar, isSeq, parseAllDocuments, type Document } from 'yaml';
import { lineColumn, parseStrictJson, StrictJsonError } from '../../util/strict-json.js';

const require = createRequire(import.meta.url);
const hcl = require('hcl2-parser') as { parseToObject(input: string): [unknown, unknown] };

export class ConsumerFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly expected: string,
  ) {
    super(`${file}${line === null ? '' : `:${line}`}: ${expected}`);
    this.name = 'ConsumerFileError';
  }
}

/** One document of a file: its value and the line it starts on. */
export interface ParsedDocument {
  value: unknown;
  line: number;
}

function lineOf(text: string, offset: number): number {
  return Number(/^line (\d+)/.exec(lineColumn(text, offset))?.[1] ?? 1);
}

// ---------- HCL ----------

function hclParses(text: string): unknown {
  let result: [unknown, unknown];
  try {
    result = hcl.parseToObject(text);
  } catch {
    return undefined;
  }
  return result[1] === null || result[1] === undefined ? (result[0] ?? {}) : undefined;
}

/** Parses HCL (Vault Agent / Proxy configuration) into its JSON form: blocks become lists of bodies. */
export function parseHcl(text: string, file: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  const doc = hclParses(text);
  if (doc !== undefined && doc !== null && typeof doc === 'object' && !Array.isArray(doc)) return doc as Record<string, unknown>;
  const where = locateHclError(text.split('\n'), 1) ?? { line: null, expected: 'not valid HCL' };
  throw new ConsumerFileError(file, where.line, `invalid HCL: ${where.expected}`);
}

interface HclItem {
  start: number;
  lines: string[];
}

interface Located {
  line: number | null;
  expected: string;
}

/**
 * hcl2-parser reports no position: the line is found here. Brackets, strings and heredocs are
 * balanced first; then each top-level item (attribute or block) is parsed on its own, and a block
 * that fails is searched the same way inside its body.
 */
function locateHclError(lines: string[], firstLine: number): Located | null {
  const split = splitItems(lines, firstLine);
  if ('line' in split) return split;
  for (const item of split) {
    if (hclParses(item.lines.join('\n')) !== undefined) continue;
    const head = item.lines[0] ?? '';
    const last = (item.lines[item.lines.length - 1] ?? '').trim();
    if (/\{\s*$/.test(head) && last === '}' && item.lines.length > 2) {
      if (!/^\s*[A-Za-z_][\w-]*(\s+("[^"]*"|[A-Za-z_][\w-]*))*\s*\{\s*$/.test(head)) {
        return { line: item.start, expected: 'expected a block header: name, optional labels, then {' };
      }
      const inner = locateHclError(item.lines.slice(1, -1), item.start + 1);
      if (inner) return inner;
    }
    return { line: item.start, expected: 'expected an attribute (name = value) or a block (name "label" { ... })' };
  }
  return null;
}

/** Top-level items of `lines`, or where brackets, a string or a heredoc are left open. */
function splitItems(lines: string[], firstLine: number): HclItem[] | Located {
  const items: HclItem[] = [];
  const stack: Array<{ c: string; line: number }> = [];
  let current: HclItem | null = null;
  let heredoc: { tag: string; line: number } | null = null;
  let comment: number | null = null;
  const closing: Record<string, string> = { '{': '}', '[': ']', '(': ')' };
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] as string;
    const lineNo = firstLine + i;
    if (heredoc) {
      current?.lines.push(text);
      if (text.trim() === heredoc.tag) heredoc = null;
      continue;
    }
    if (!current && comment === null && /^\s*(#|\/\/|$)/.test(text)) continue;
    current ??= { start: lineNo, lines: [] };
    current.lines.push(text);
    let inString = false;
    for (let j = 0; j < text.length; j++) {
      const c = text[j] as string;
      if (comment !== null) {
        if (c === '*' && text[j + 1] === '/') {
          comment = null;
          j++;
        }
        continue;
      }
      if (inString) {
        if (c === '\\') j++;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '#' || (c === '/' && text[j + 1] === '/')) break;
      else if (c === '/' && text[j + 1] === '*') {
        comment = lineNo;
        j++;
      } else if (c === '<' && text[j + 1] === '<') {
        const tag = /^<<-?([A-Za-z_][\w]*)\s*$/.exec(text.slice(j));
        if (tag) {
          heredoc = { tag: tag[1] as string, line: lineNo };
          break;
        }
      } else if (c in closing) stack.push({ c, line: lineNo });
      else if (c === '}' || c === ']' || c === ')') {
        const open = stack.pop();
        if (!open) return { line: lineNo, expected: `unexpected \`${c}\`: no block or list is open here` };
        if (closing[open.c] !== c) return { line: lineNo, expected: `expected \`${closing[open.c]}\` to close the \`${open.c}\` opened on line ${open.line}, found \`${c}\`` };
      }
    }
    if (inString) return { line: lineNo, expected: 'expected a closing " on the same line' };
    if (stack.length === 0 && comment === null) {
      items.push(current);
      current = null;
    }
  }
  if (heredoc) return { line: heredoc.line, expected: `expected the heredoc to end with a line \`${heredoc.tag}\`` };
  if (comment !== null) return { line: comment, expected: 'expected `*/` to close the comment opened here' };
  const open = stack.pop();
  if (open) return { line: open.line, expected: `expected \`${closing[open.c]}\` to close the \`${open.c}\` opened here (end of file reached)` };
  if (current) items.push(current);
  return items;
}

// ---------- YAML ----------

/** Every document of a (multi-document) YAML file; empty documents are left out. */
export function parseYamlDocuments(text: string, file: string): ParsedDocument[] {
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true }) as Document.Parsed[];
  } catch (e) {
    throw new ConsumerFileError(file, null, `cannot be parsed as YAML: ${e instanceof RangeError ? 'nested too deeply' : 'invalid document'}`);
  }
  if (!Array.isArray(docs)) docs = [docs as Document.Parsed];
  const out: ParsedDocument[] = [];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) throw new ConsumerFileError(file, lineOf(text, err.pos[0]), `invalid YAML: ${yamlReason(err.code)}`);
    // An empty document (`---` twice, as rendered Helm charts have) holds nothing.
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) continue;
    const start = doc.contents.range[0];
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch {
      throw new ConsumerFileError(file, lineOf(text, start), 'cannot be read as YAML data: expected plain mappings, lists and values (aliases expand to at most 100 nodes)');
    }
    if (!isMap(doc.contents) && !isSeq(doc.contents)) {
      throw new ConsumerFileError(file, lineOf(text, start), 'expected a YAML mapping (a manifest or a values file), found a scalar');
    }
    out.push({ value, line: lineOf(text, start) });
  }
  return out;
}

/** The yaml library's error codes, as what was expected (its messages may quote the input). */
function yamlReason(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'a key occurs twice in one mapping; expected unique keys';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
      return `${code.toLowerCase().replace(/_/g, ' ')}; expected a mapping entry (key: value) or a list item (- value) at this indentation`;
    case 'MULTILINE_IMPLICIT_KEY':
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'a key spans more than one line; expected `key: value` on one line';
    case 'MISSING_KEY_SEPARATOR' as string:
      return 'expected `key: value`';
    default:
      return `${code.toLowerCase().replace(/_/g, ' ')}; expected a YAML mapping or list`;
  }
}

// ---------- JSON ----------

/** A JSON file (app settings, ARM template, appsettings.json), strictly parsed. */
export function parseJsonDocument(text: string, file: string): ParsedDocument {
  // appsettings.json allows comments and a BOM (the .NET JSON configuration provider skips them).
  const clean = stripJsonComments(text.replace(/^\uFEFF/, ''));
  try {
    return { value: parseStrictJson(clean), line: 1 };
  } catch (e) {
    if (!(e instanceof StrictJsonError)) throw e;
    throw new ConsumerFileError(file, lineOf(clean, e.problem.offset), `invalid JSON: ${e.problem.detail}`);
  }
}

/** `//` and `/* *\/` comments outside strings become spaces (offsets and lines kept). */
function stripJsonComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') {
        out += ' ';
        i++;
      }
      if (i < text.length) out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop - 1;
    } else out += c;
  }
  return out;
}

// ---------- Java .properties ----------

/**
 * The entries of a Java .properties file whose key `keep` accepts (others are skipped unread beyond
 * their key: their values may be secrets). Continuation lines are joined; `key=value`, `key: value`
 * and `key value` are accepted.
 */
export function parseProperties(text: string, keep: (key: string) => boolean): Map<string, { value: string; line: number }> {
  const out = new Map<string, { value: string; line: number }>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let logical = (lines[i] as string).replace(/^\s+/, '');
    if (logical === '' || logical.startsWith('#') || logical.startsWith('!')) continue;
    while (/(^|[^\\])(\\\\)*\\$/.test(logical) && i + 1 < lines.length) logical = logical.slice(0, -1) + (lines[++i] as string).replace(/^\s+/, '');
    const m = /^((?:\\.|[^=:\s\\])*)\s*[=:\s]?\s*(.*)$/.exec(logical);
    if (!m) continue;
    const key = (m[1] as string).replace(/\\(.)/g, '$1');
    if (!keep(key)) continue;
    out.set(key, { value: (m[2] as string).trim(), line: start });
  }
  return out;
}
