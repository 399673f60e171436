/**
 * JSON.parse with the checks a compliance input needs (issue 21): a member name that occurs twice in
 * one object is refused at every depth (JSON.parse silently keeps the last copy, so a non-compliant
 * first copy of a vault, or a second `now`, would change the verdict), nesting deeper than
 * MAX_JSON_DEPTH is refused before anything recurses over it, and an error names only the position
 * and the kind of the problem, never the input's content (a file that is not JSON may be a secret).
 *
 * The common case costs one native JSON.parse plus one linear pass that counts member names and
 * depth, and a count of the parsed members: only when they disagree (or JSON.parse fails) does the
 * slower validating parser run, to find the first problem with its JSON path.
 */

/** Snapshots, configs and waivers nest under 10 levels; anything past this is refused, not recursed into. */
export const MAX_JSON_DEPTH = 256;

export interface JsonProblem {
  /** Offset in the text (UTF-16 code units). */
  readonly offset: number;
  /** JSON path of the innermost value containing the problem, relative to the text's root ("$"). */
  readonly path: string;
  readonly detail: string;
}

/** Thrown by parseStrictJson; the caller turns it into an InputError with the file's name and position. */
export class StrictJsonError extends Error {
  constructor(readonly problem: JsonProblem) {
    super(`${problem.path}: ${problem.detail}`);
    this.name = 'StrictJsonError';
  }
}

/** Parses `text` or throws StrictJsonError (duplicate names, too deep, syntax). */
export function parseStrictJson(text: string): unknown {
  const shape = countShape(text);
  if (shape.maxDepth > MAX_JSON_DEPTH) throw new StrictJsonError(findJsonProblem(text) ?? { offset: 0, path: '$', detail: `nested deeper than ${MAX_JSON_DEPTH} levels` });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new StrictJsonError(findJsonProblem(text) ?? { offset: 0, path: '$', detail: 'invalid JSON' });
  }
  if (countMembers(value) !== shape.names) {
    throw new StrictJsonError(findJsonProblem(text) ?? { offset: 0, path: '$', detail: 'a member name occurs twice in one object' });
  }
  return value;
}

/** "line L, column C" (1-based, columns in UTF-16 code units) of `offset` in `text`. */
export function lineColumn(text: string, offset: number): string {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return `line ${line}, column ${offset - last}`;
}

/** Member names (strings followed by ':') and the deepest nesting, outside strings. */
function countShape(text: string): { names: number; maxDepth: number } {
  let names = 0;
  let depth = 0;
  let maxDepth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      for (;;) {
        j = text.indexOf('"', j);
        if (j < 0) return { names, maxDepth }; // unterminated: JSON.parse reports it
        let b = j - 1;
        while (text.charCodeAt(b) === 0x5c) b--;
        if ((j - 1 - b) % 2 === 0) break;
        j++;
      }
      i = j;
      let k = j + 1;
      while (k < n) {
        const w = text.charCodeAt(k);
        if (w !== 0x20 && w !== 0x0a && w !== 0x0d && w !== 0x09) break;
        k++;
      }
      if (text.charCodeAt(k) === 0x3a) names++;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) maxDepth = depth;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return { names, maxDepth };
}

/** Own member count of every object in a parsed value, without recursion. */
function countMembers(value: unknown): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) {
      for (const x of v) if (typeof x === 'object' && x !== null) stack.push(x);
    } else {
      const keys = Object.keys(v);
      count += keys.length;
      for (const k of keys) {
        const x = (v as Record<string, unknown>)[k];
        if (typeof x === 'object' && x !== null) stack.push(x);
      }
    }
  }
  return count;
}

function kind(text: string, i: number): string {
  if (i >= text.length) return 'the end of the input';
  const c = text.charCodeAt(i);
  if (c === 0xfeff) return 'a byte order mark (U+FEFF)';
  if (c < 0x20 || c === 0x7f) return `control character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  if (c >= 0x30 && c <= 0x39) return 'a digit';
  if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) return 'a letter';
  if (c > 0x7f) return 'a non-ASCII character';
  if (c === 0x20) return 'a space';
  return `'${String.fromCharCode(c)}'`;
}

function segment(key: string | number): string {
  if (typeof key === 'number') return `[${key}]`;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

interface Frame {
  readonly array: boolean;
  readonly keys: Set<string> | null;
  readonly path: string;
  index: number;
  key: string;
}

/**
 * The first problem of `text` as JSON (syntax, a repeated member name, nesting past MAX_JSON_DEPTH),
 * or undefined when it is valid. Iterative: any depth of input is safe.
 */
export function findJsonProblem(text: string): JsonProblem | undefined {
  const n = text.length;
  const stack: Frame[] = [];
  let i = 0;
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      i++;
    }
  };
  const here = () => {
    const top = stack[stack.length - 1];
    if (!top) return '$';
    return top.path + (top.array ? segment(top.index) : top.key !== '' || top.keys?.size ? segment(top.key) : '');
  };
  // A path through hundreds of levels is cut short: the line and column locate the problem.
  const problem = (offset: number, detail: string, path = here()): JsonProblem => ({ offset, path: path.length > 240 ? `${path.slice(0, 240)}...` : path, detail });
  /** Reads a string starting at the quote at i; returns its value or a problem. */
  const str = (): string | JsonProblem => {
    const start = i;
    i++;
    let out = '';
    let run = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(run, i);
        i++;
        return out;
      }
      if (c < 0x20) return problem(i, `raw control character U+${c.toString(16).toUpperCase().padStart(4, '0')} in a string; expected it escaped`);
      if (c === 0x5c) {
        out += text.slice(run, i);
        const e = text.charCodeAt(i + 1);
        const simple: Record<number, string> = { 0x22: '"', 0x5c: '\\', 0x2f: '/', 0x62: '\b', 0x66: '\f', 0x6e: '\n', 0x72: '\r', 0x74: '\t' };
        if (simple[e] !== undefined) {
          out += simple[e];
          i += 2;
        } else if (e === 0x75) {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9A-Fa-f]{4}$/.test(hex)) return problem(i, 'invalid \\u escape in a string; expected 4 hex digits');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else {
          return problem(i, 'invalid escape in a string; expected one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX');
        }
        run = i;
        continue;
      }
      i++;
    }
    return problem(start, 'unterminated string; expected a closing \'"\'');
  };
  const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
  /** A value starts at i (after whitespace). Returns a problem, or undefined after pushing a container / reading a scalar. */
  const value = (): JsonProblem | undefined => {
    ws();
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) {
      if (stack.length >= MAX_JSON_DEPTH) return problem(i, `nested deeper than ${MAX_JSON_DEPTH} levels; expected a shallower document`);
      stack.push({ array: c === 0x5b, keys: c === 0x7b ? new Set() : null, path: here(), index: 0, key: '' });
      i++;
      return undefined;
    }
    if (c === 0x22) {
      const s = str();
      return typeof s === 'string' ? undefined : s;
    }
    for (const lit of ['true', 'false', 'null']) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return undefined;
      }
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m) return problem(i, 'invalid number');
      i += m[0].length;
      return undefined;
    }
    return problem(i, `expected a value (object, array, string, number, true, false or null), found ${kind(text, i)}`);
  };

  ws();
  if (text.charCodeAt(i) === 0xfeff) return problem(i, 'starts with a byte order mark (U+FEFF); expected plain JSON: save the file without a BOM');
  let p = value();
  if (p) return p;
  // After an opened container or a value: loop until the stack is empty.
  let justOpened = stack.length > 0;
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    ws();
    const c = text.charCodeAt(i);
    if (justOpened) {
      justOpened = false;
      if ((top.array && c === 0x5d) || (!top.array && c === 0x7d)) {
        i++;
        stack.pop();
        continue;
      }
    } else {
      if (c === 0x2c) {
        i++;
        if (top.array) top.index++;
      } else if ((top.array && c === 0x5d) || (!top.array && c === 0x7d)) {
        i++;
        stack.pop();
        continue;
      } else {
        return problem(i, `expected ',' or '${top.array ? ']' : '}'}', found ${kind(text, i)}`);
      }
    }
    if (!top.array) {
      ws();
      if (text.charCodeAt(i) !== 0x22) return problem(i, `expected a member name (a string), found ${kind(text, i)}`);
      const at = i;
      const k = str();
      if (typeof k !== 'string') return k;
      if (top.keys!.has(k)) {
        top.key = k;
        return problem(at, `duplicate member name: the name occurs twice in one object (the value would be ambiguous); expected each name once`);
      }
      top.keys!.add(k);
      top.key = k;
      ws();
      if (text.charCodeAt(i) !== 0x3a) return problem(i, `expected ':' after the member name, found ${kind(text, i)}`);
      i++;
    }
    const depth = stack.length;
    p = value();
    if (p) return p;
    justOpened = stack.length > depth;
  }
  ws();
  if (i < n) return problem(i, `expected nothing after the top-level value, found ${kind(text, i)}`, '$');
  return undefined;
}
