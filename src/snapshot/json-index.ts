/**
 * Structural index of a large JSON file, so a snapshot can be evaluated vault by vault without being
 * read whole: a 1M-object snapshot (~850 MiB) is past V8's ~512 MiB string limit for
 * `readFileSync(..., 'utf8')`, and the parsed fleet would not fit the memory budget anyway.
 *
 * `indexJsonFile` reads the file in chunks (fs.readSync into one reused buffer, 8 MiB by default) and
 * runs a byte-level state machine over them. It returns the byte range [start, end) of the value of
 * each top-level member, and, for the members named in `expand` whose value is an object, the byte
 * range of each of that object's members (e.g. every vault under `vaults`), in file order. Memory is
 * O(chunk + nesting depth + the index); no part of the file is turned into a string except the member
 * names at the indexed levels. The scan runs at several hundred MB/s (bench/json-index-speed.ts). `readJsonRange` then reads one range and JSON.parses it.
 *
 * What the scanner checks: the whole JSON grammar at every depth (strings with their escapes and no raw
 * control characters, numbers, `true`/`false`/`null`, bracket balance, `,`/`:` placement, no trailing
 * commas, nothing after the top-level value); the top-level value is an object; no member name occurs
 * twice in the top-level object or in an expanded object (JSON.parse would silently keep the last one,
 * so a duplicate vault id would hide a vault). Names repeated deeper down are refused when a range is
 * read (readJsonRange parses strictly, src/util/strict-json.ts). It does not check UTF-8 validity (malformed sequences
 * decode to U+FFFD, as `readFileSync(file, 'utf8')` does). JSON.parse still runs on every range the
 * engine reads, so a value that changed on disk after indexing is reported, not trusted.
 *
 * Apart from those repeated names and a top-level value that is not an object, a file indexes exactly
 * when JSON.parse accepts its text (the tests check this on mutated documents). A UTF-8 byte order
 * mark is rejected with a clear message, as src/util/read-json.ts rejects it (JSON.parse sees U+FEFF).
 *
 * Errors are InputErrors naming the file, the JSON path of the innermost indexed member that contains
 * the problem (`$`, `$.vaults`, `$.vaults["kv-1"]`) and the line and column in the file (1-based,
 * columns in UTF-16 code units like src/util/read-json.ts), computed by a second pass over the file on
 * the error path only.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '../util/input-error.js';
import { pointerToJsonPath } from '../util/json-path.js';
import { MAX_JSON_DEPTH, parseStrictJson, StrictJsonError } from '../util/strict-json.js';

/** A byte range [start, end) in the file. */
export interface JsonRange {
  readonly start: number;
  readonly end: number;
}

/** One member of an indexed object: its decoded name, its JSON path, and the byte range of its value. */
export interface JsonMember extends JsonRange {
  readonly key: string;
  /** `$.vaults`, `$.vaults["kv-1"]`: for error messages. */
  readonly path: string;
  /** The value's own members, in file order: only for a member named in `expand` whose value is an object. */
  readonly members?: readonly JsonMember[];
}

export interface JsonFileIndex {
  readonly file: string;
  /** File size in bytes. */
  readonly size: number;
  /** The top-level object's members, in file order. */
  readonly members: readonly JsonMember[];
}

export interface IndexOptions {
  /** Top-level member names whose object values are indexed one level deeper (the engine passes ['vaults']). */
  expand?: readonly string[];
  /** Bytes per read (default 8 MiB; any positive integer, tests go down to 1). */
  chunkSize?: number;
}

/** A file name (opened and closed per call) or an already open descriptor with the name to report. */
export type JsonSource = string | { readonly fd: number; readonly file: string };

export const DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;
/** Deeper nesting is rejected so a hostile file cannot make the bracket stack grow without bound (snapshots nest < 10). */
export const MAX_NESTING = MAX_JSON_DEPTH;

/** The member named `key` of an indexed object, if any. */
export function findMember(members: readonly JsonMember[] | undefined, key: string): JsonMember | undefined {
  return members?.find((m) => m.key === key);
}

/** Indexes the top-level object of a JSON file (see the module comment). */
export function indexJsonFile(file: string, opts: IndexOptions = {}): JsonFileIndex {
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
  const fd = openInput(file);
  try {
    const size = statSize(fd, file);
    if (size === 0) throw new InputError(file, '', 'empty file, expected a JSON object');
    const head = Buffer.alloc(3);
    const got = readAt(fd, file, head, 0, 3, 0);
    if (got === 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
      throw new InputError(file, '', 'starts with a UTF-8 byte order mark (BOM); expected plain JSON: save the file without a BOM (the snapshot reader does not accept one either)');
    }
    warmUp();
    let pos = 0;
    const members = scan(
      { file, fd, base: 0, topObject: true, expand: new Set(opts.expand ?? []), basePath: '$' },
      Buffer.allocUnsafe(Math.min(chunkSize, Math.max(size, 1))),
      (buf) => {
        const n = readAt(fd, file, buf, 0, buf.length, pos);
        pos += n;
        return n;
      },
    );
    return { file, size, members };
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads the bytes of `range` and parses them. A syntax error (the file changed since it was indexed, or
 * a range from elsewhere) is an InputError naming the file, `path` (default: the member's own path) and
 * the line and column in the file.
 */
export function readJsonRange(source: JsonSource, range: JsonRange & { readonly path?: string }, path: string = range.path ?? '$'): unknown {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) throw new RangeError(`not a byte range: [${start}, ${end})`);
  const file = typeof source === 'string' ? source : source.file;
  const fd = typeof source === 'string' ? openInput(source) : source.fd;
  try {
    const len = end - start;
    const buf = Buffer.allocUnsafe(len);
    let got = 0;
    while (got < len) {
      const n = readAt(fd, file, buf, got, len - got, start + got);
      if (n === 0) break;
      got += n;
    }
    if (got < len) throw new InputError(file, path, `expected ${len} bytes at byte offset ${start}, the file ends after ${got} of them (was it changed since it was indexed?)`);
    let text: string;
    try {
      text = buf.toString('utf8');
    } catch {
      throw new InputError(file, path, `the value is ${len} bytes, too large to parse as one JavaScript string`);
    }
    try {
      // Strict: a member name repeated at any depth inside the value is refused (JSON.parse would keep the last).
      return parseStrictJson(text);
    } catch (e) {
      if (!(e instanceof StrictJsonError)) throw e;
      // Find the exact position with the scanner (it throws on syntax), else report the strict parser's problem.
      scan({ file, fd, base: start, topObject: false, expand: new Set(), basePath: path }, buf, wholeBuffer(len));
      const { offset, path: inner, detail } = e.problem;
      const [at] = lineColumns(fd, file, [start + Buffer.byteLength(text.slice(0, offset))]);
      throw new InputError(file, path + inner.slice(1), `invalid JSON at ${at}: ${detail}`);
    }
  } finally {
    if (typeof source === 'string') closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------------
// The scanner.

interface ScanSpec {
  readonly file: string;
  /** Open descriptor of `file`, for the line/column pass on errors. */
  readonly fd: number;
  /** File offset of the first byte `read` delivers. */
  readonly base: number;
  /** true: the value must be an object and its members are indexed; false: any single value, nothing indexed. */
  readonly topObject: boolean;
  readonly expand: ReadonlySet<string>;
  readonly basePath: string;
}

interface RawMember {
  key: string;
  start: number;
  end: number;
  children: RawMember[] | null;
}

/**
 * Members being built at the indexed levels; kept out of the hot loop's locals. Paths are computed
 * after the scan (or for an error): building them per member inside the loop made V8 deoptimize it.
 */
class Indexer {
  private readonly top: RawMember[] = [];
  private readonly topKeys = new Map<string, number>();
  private key1 = '';
  private start1 = -1;
  private children: RawMember[] | null = null;
  private childKeys = new Map<string, number>();
  private key2 = '';
  private start2 = -1;

  constructor(private readonly spec: ScanSpec) {}

  /** A member name at depth 1 or 2 has been read; `at` is the offset of its opening quote. */
  key(depth: number, key: string, at: number): void {
    const keys = depth === 1 ? this.topKeys : this.childKeys;
    const first = keys.get(key);
    if (first !== undefined) this.duplicate(depth, key, at, first);
    keys.set(key, at);
    if (depth === 1) this.key1 = key;
    else this.key2 = key;
  }

  private duplicate(depth: number, key: string, at: number, first: number): never {
    const [here, there] = lineColumns(this.spec.fd, this.spec.file, [at, first]);
    const path = depth === 1 ? memberPath([key]) : memberPath([this.key1, key]);
    throw new InputError(this.spec.file, path, `duplicate member name ${JSON.stringify(key)} at ${here} (first at ${there}): the value would be ambiguous, expected each name once`);
  }

  /** A value starts at `offset` in the member at `depth`; returns the new indexed depth. */
  valueStart(depth: number, offset: number, firstByte: number): number {
    if (depth === 2) {
      this.start2 = offset;
      return 2;
    }
    this.start1 = offset;
    if (firstByte === 0x7b && this.spec.expand.has(this.key1)) {
      this.children = [];
      this.childKeys = new Map();
      return 2;
    }
    return 1;
  }

  /** The value of the member at `depth` ends before `end`; returns the new indexed depth. */
  valueEnd(depth: number, end: number): number {
    if (depth === 2) {
      this.children!.push({ key: this.key2, start: this.start2, end, children: null });
      this.start2 = -1;
      return 2;
    }
    this.top.push({ key: this.key1, start: this.start1, end, children: this.children });
    this.start1 = -1;
    this.children = null;
    return 1;
  }

  /** The last member name read at `depth` (1 or 2). */
  lastKey(depth: number): string {
    return depth === 1 ? this.key1 : this.key2;
  }

  /** JSON path of the innermost indexed member whose value contains the current position. */
  path(): string {
    if (this.start2 >= 0) return memberPath([this.key1, this.key2]);
    if (this.start1 >= 0) return memberPath([this.key1]);
    return this.spec.basePath;
  }

  /** The finished index. */
  members(): JsonMember[] {
    return this.top.map((m) => {
      const path = memberPath([m.key]);
      if (!m.children) return { key: m.key, path, start: m.start, end: m.end };
      const members = m.children.map((c) => ({ key: c.key, path: memberPath([m.key, c.key]), start: c.start, end: c.end }));
      return { key: m.key, path, start: m.start, end: m.end, members };
    });
  }
}

function memberPath(keys: string[]): string {
  return pointerToJsonPath('/' + keys.map((k) => k.replace(/~/g, '~0').replace(/\//g, '~1')).join('/'));
}

// Byte classes: 1 = ends a run of plain string bytes (quote, backslash, control character).
const STRING_STOP = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STRING_STOP[c] = 1;
STRING_STOP[0x22] = 1;
STRING_STOP[0x5c] = 1;
const LITERALS = [Buffer.from('true'), Buffer.from('false'), Buffer.from('null')] as const;

// Scanner states.
const VALUE = 0; // a value is expected (start, after ':', after ',' in an array)
const VALUE_OR_CLOSE = 1; // after '['
const KEY_OR_CLOSE = 2; // after '{'
const KEY = 3; // after ',' in an object
const COLON = 4; // after a member name
const AFTER = 5; // after a value inside a container: ',' or the closing bracket
const DONE = 6; // after the top-level value: only whitespace
const STRING = 7;
const ESCAPE = 8; // after a backslash
const HEX = 9; // inside \uXXXX, `hexLeft` digits to go
const N_MINUS = 10; // '-'
const N_ZERO = 11; // leading '0'
const N_INT = 12; // integer digits
const N_DOT = 13; // '.'
const N_FRAC = 14; // fraction digits
const N_E = 15; // 'e' / 'E'
const N_ESIGN = 16; // exponent sign
const N_EXP = 17; // exponent digits
const LITERAL = 18; // inside true / false / null
// Container types on the bracket stack.
const OBJ = 1;
const ARR = 2;

/** The scanner's state between chunks. */
class ScanState {
  state = VALUE;
  depth = 0;
  /** Deepest depth whose members are indexed: 1 in index mode, 2 inside an expanded member, 0 in range mode. */
  indexDepth: number;
  /** Bracket stack: container type and file offset of its opening bracket, per depth. */
  types = new Uint8Array(64);
  opens = new Float64Array(64);
  isKey = false;
  /** Whether the current string is a member name at an indexed level, whose bytes go to keyBuf. */
  collecting = false;
  keyBuf: Buffer = Buffer.allocUnsafe(256);
  keyLen = 0;
  keyEscaped = false;
  strStart = 0;
  hexLeft = 0;
  lit: Uint8Array = LITERALS[0];
  litIdx = 0;
  /** File offset of the next chunk's first byte. */
  pos0: number;

  constructor(spec: ScanSpec) {
    this.indexDepth = spec.topObject ? 1 : 0;
    this.pos0 = spec.base;
  }
}

/**
 * Runs the state machine over the chunks `read` fills into `chunk` (returns the byte count, 0 at the
 * end). Returns the top-level members in index mode. Throws InputError on the first problem.
 */
function scan(spec: ScanSpec, chunk: Buffer, read: (buf: Buffer) => number): JsonMember[] {
  const ix = new Indexer(spec);
  const st = new ScanState(spec);
  let total = 0;
  for (;;) {
    const n = read(chunk);
    if (n === 0) break;
    total += n;
    scanChunk(spec, ix, st, chunk, n);
  }
  const { state, depth, types, opens, strStart } = st;
  const fail = failer(spec, ix);
  // End of input.
  const end = st.pos0;
  const what = spec.topObject ? 'the file' : 'the value';
  if (state === DONE) return ix.members();
  if (state === N_ZERO || state === N_INT || state === N_FRAC || state === N_EXP) {
    if (depth === 0) return ix.members(); // a bare number as the whole value (range mode)
  }
  if (state === STRING || state === ESCAPE || state === HEX) {
    fail(strStart, `unterminated string: ${what} ends inside it (at {0}); expected a closing '"'`, [end]);
  }
  if (depth > 0) {
    fail(end, `unexpected end of ${spec.topObject ? 'file' : 'value'}: ${opener(types[depth - 1]!)} opened at {0} is not closed (${depth} still open); expected '${types[depth - 1] === OBJ ? '}' : ']'}'`, [opens[depth - 1]!]);
  }
  if (total === 0) fail(end, spec.topObject ? 'empty file, expected a JSON object' : 'empty value');
  if (state === VALUE) fail(end, spec.topObject ? 'expected a JSON object, found only whitespace' : 'expected a value, found only whitespace');
  return fail(end, `unexpected end of ${what} inside a ${state === LITERAL ? 'literal' : 'number'}`);
}

/**
 * One chunk: the hot loop. A function per chunk (rather than one loop over the whole file) so that V8
 * runs all chunks after the first in normally optimized code instead of the slower on-stack-replaced
 * version of a long-running loop. State lives in locals inside the loop and in `st` between chunks.
 */
function scanChunk(spec: ScanSpec, ix: Indexer, st: ScanState, buf: Uint8Array, n: number): void {
  let state = st.state;
  let depth = st.depth;
  let indexDepth = st.indexDepth;
  let types = st.types;
  let opens = st.opens;
  let isKey = st.isKey;
  let collecting = st.collecting;
  let keyBuf = st.keyBuf;
  let keyLen = st.keyLen;
  let keyEscaped = st.keyEscaped;
  let strStart = st.strStart;
  let hexLeft = st.hexLeft;
  let lit = st.lit;
  let litIdx = st.litIdx;
  const pos0 = st.pos0;
  const stop = STRING_STOP;
  const fail = failer(spec, ix);
  let i = 0;
  while (i < n) {
    switch (state) {
      case STRING: {
        let j = i;
        while (j < n && stop[buf[j]!] === 0) j++;
        if (collecting && j > i) {
          if (keyLen + (j - i) > keyBuf.length) keyBuf = grow(keyBuf, keyLen + (j - i));
          keyBuf.set(buf.subarray(i, j), keyLen);
          keyLen += j - i;
        }
        if (j === n) {
          i = n;
          break;
        }
        const c = buf[j]!;
        i = j + 1;
        if (c === 0x22) {
          if (isKey) {
            if (collecting) {
              const raw = keyBuf.toString('utf8', 0, keyLen);
              ix.key(depth, keyEscaped ? (JSON.parse(`"${raw}"`) as string) : raw, strStart);
            }
            // Fast path: the colon right after the name.
            if (i < n && buf[i] === 0x3a) {
              state = VALUE;
              i++;
            } else {
              state = COLON;
            }
          } else {
            state = depth === 0 ? DONE : AFTER;
            if (depth <= indexDepth && depth > 0) indexDepth = ix.valueEnd(depth, pos0 + i);
          }
        } else if (c === 0x5c) {
          state = ESCAPE;
          if (collecting) {
            keyEscaped = true;
            if (keyLen === keyBuf.length) keyBuf = grow(keyBuf, keyLen + 1);
            keyBuf[keyLen++] = c;
          }
        } else {
          fail(pos0 + j, `raw control character U+${hex4(c)} in a string; expected it escaped (e.g. \\n, \\u${hex4(c)})`);
        }
        break;
      }
      case ESCAPE:
      case HEX: {
        const c = buf[i]!;
        if (state === ESCAPE) {
          if (c === 0x75) {
            state = HEX;
            hexLeft = 4;
          } else if (c === 0x22 || c === 0x5c || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74) {
            state = STRING;
          } else {
            fail(pos0 + i - 1, `invalid escape in a string: expected one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX, found \\${describe(c, false)}`);
          }
        } else if ((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66)) {
          if (--hexLeft === 0) state = STRING;
        } else {
          fail(pos0 + i, `invalid \\u escape in a string: expected 4 hex digits, found ${describe(c)}`);
        }
        if (collecting) {
          if (keyLen === keyBuf.length) keyBuf = grow(keyBuf, keyLen + 1);
          keyBuf[keyLen++] = c;
        }
        i++;
        break;
      }
      case N_MINUS:
      case N_ZERO:
      case N_INT:
      case N_DOT:
      case N_FRAC:
      case N_E:
      case N_ESIGN:
      case N_EXP: {
        let c = buf[i]!;
        if (state === N_INT || state === N_FRAC || state === N_EXP) {
          while (c >= 0x30 && c <= 0x39) {
            if (++i === n) break;
            c = buf[i]!;
          }
          if (i === n) break;
        }
        const digit = c >= 0x30 && c <= 0x39;
        if (state === N_MINUS) {
          if (!digit) fail(pos0 + i, `invalid number: expected a digit after '-', found ${describe(c)}`);
          state = c === 0x30 ? N_ZERO : N_INT;
          i++;
        } else if (state === N_DOT) {
          if (!digit) fail(pos0 + i, `invalid number: expected a digit after '.', found ${describe(c)}`);
          state = N_FRAC;
          i++;
        } else if (state === N_E || state === N_ESIGN) {
          if (digit) state = N_EXP;
          else if (state === N_E && (c === 0x2b || c === 0x2d)) state = N_ESIGN;
          else fail(pos0 + i, `invalid number: expected a digit in the exponent, found ${describe(c)}`);
          i++;
        } else if (c === 0x2e && (state === N_ZERO || state === N_INT)) {
          state = N_DOT;
          i++;
        } else if ((c | 0x20) === 0x65 && state !== N_EXP) {
          state = N_E;
          i++;
        } else if (digit) {
          fail(pos0 + i, 'invalid number: expected no leading zeros');
        } else {
          // The number ends before this byte, which the next state reads.
          state = depth === 0 ? DONE : AFTER;
          if (depth <= indexDepth && depth > 0) indexDepth = ix.valueEnd(depth, pos0 + i);
        }
        break;
      }
      case LITERAL: {
        const c = buf[i]!;
        if (c !== lit[litIdx]) fail(pos0 + i, `invalid literal: expected ${JSON.stringify(String.fromCharCode(...lit))}, found ${describe(c)}`);
        i++;
        if (++litIdx === lit.length) {
          state = depth === 0 ? DONE : AFTER;
          if (depth <= indexDepth && depth > 0) indexDepth = ix.valueEnd(depth, pos0 + i);
        }
        break;
      }
      case AFTER: {
        let c = buf[i]!;
        while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
          if (++i === n) break;
          c = buf[i]!;
        }
        if (i === n) break;
        if (c === 0x2c) {
          i++;
          if (types[depth - 1] === OBJ) {
            // Fast path: the next member name starts right after the comma.
            if (i < n && buf[i] === 0x22) {
              state = STRING;
              isKey = true;
              strStart = pos0 + i;
              collecting = depth <= indexDepth;
              keyLen = 0;
              keyEscaped = false;
              i++;
            } else {
              state = KEY;
            }
          } else {
            state = VALUE;
          }
          break;
        }
        const want = c === 0x7d ? OBJ : c === 0x5d ? ARR : 0;
        if (want === 0) {
          fail(pos0 + i, types[depth - 1] === OBJ ? `expected ',' or '}' after the member${depth <= indexDepth ? ` ${JSON.stringify(ix.lastKey(depth))}` : ''}, found ${describe(c)}` : `expected ',' or ']' after an array element, found ${describe(c)}`);
        }
        if (types[depth - 1] !== want) {
          fail(pos0 + i, `found ${describe(c)}, but the innermost open bracket is ${opener(types[depth - 1]!)} at {0}: expected '${want === OBJ ? ']' : '}'}'`, [opens[depth - 1]!]);
        }
        depth--;
        i++;
        if (depth === 0) state = DONE;
        else if (depth <= indexDepth) indexDepth = ix.valueEnd(depth, pos0 + i);
        break;
      }
      case COLON: {
        let c = buf[i]!;
        while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
          if (++i === n) break;
          c = buf[i]!;
        }
        if (i === n) break;
        if (c !== 0x3a) fail(pos0 + i, `expected ':' after the member name${depth <= indexDepth ? ` ${JSON.stringify(ix.lastKey(depth))}` : ''}, found ${describe(c)}`);
        state = VALUE;
        i++;
        break;
      }
      case KEY:
      case KEY_OR_CLOSE: {
        let c = buf[i]!;
        while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
          if (++i === n) break;
          c = buf[i]!;
        }
        if (i === n) break;
        if (c === 0x22) {
          state = STRING;
          isKey = true;
          strStart = pos0 + i;
          collecting = depth <= indexDepth;
          keyLen = 0;
          keyEscaped = false;
          i++;
          break;
        }
        if (state === KEY || c !== 0x7d) fail(pos0 + i, `expected a member name (a string)${state === KEY ? " after ','" : " or '}'"}, found ${describe(c)}`);
        // '}' right after '{': close the empty object.
        depth--;
        i++;
        if (depth === 0) state = DONE;
        else {
          state = AFTER;
          if (depth <= indexDepth) indexDepth = ix.valueEnd(depth, pos0 + i);
        }
        break;
      }
      case DONE: {
        let c = buf[i]!;
        while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
          if (++i === n) break;
          c = buf[i]!;
        }
        if (i === n) break;
        fail(pos0 + i, `expected nothing after the top-level ${spec.topObject ? 'object' : 'value'}, found ${describe(c)}`);
        break;
      }
      default: {
        // VALUE or VALUE_OR_CLOSE: a value starts here.
        let c = buf[i]!;
        while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
          if (++i === n) break;
          c = buf[i]!;
        }
        if (i === n) break;
        if (c === 0x5d && state === VALUE_OR_CLOSE) {
          // '[]'
          depth--;
          i++;
          if (depth === 0) state = DONE;
          else {
            state = AFTER;
            if (depth <= indexDepth) indexDepth = ix.valueEnd(depth, pos0 + i);
          }
          break;
        }
        if (depth === 0 && spec.topObject && c !== 0x7b) fail(pos0 + i, `expected the top-level value to be a JSON object, found ${describeValue(c)}`);
        if (depth <= indexDepth && depth > 0) indexDepth = ix.valueStart(depth, pos0 + i, c);
        if (c === 0x22) {
          state = STRING;
          isKey = false;
          collecting = false;
          strStart = pos0 + i;
        } else if (c === 0x7b || c === 0x5b) {
          if (depth === types.length) {
            if (depth >= MAX_NESTING) fail(pos0 + i, `nested deeper than ${MAX_NESTING} levels; expected a shallower document`);
            const size = Math.min(depth * 2, MAX_NESTING);
            const t = new Uint8Array(size);
            t.set(types);
            types = t;
            const o = new Float64Array(size);
            o.set(opens);
            opens = o;
          }
          types[depth] = c === 0x7b ? OBJ : ARR;
          opens[depth] = pos0 + i;
          depth++;
          state = c === 0x7b ? KEY_OR_CLOSE : VALUE_OR_CLOSE;
        } else if (c === 0x2d) {
          state = N_MINUS;
        } else if (c === 0x30) {
          state = N_ZERO;
        } else if (c >= 0x31 && c <= 0x39) {
          state = N_INT;
        } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
          state = LITERAL;
          lit = LITERALS[c === 0x74 ? 0 : c === 0x66 ? 1 : 2];
          litIdx = 1;
        } else {
          fail(pos0 + i, `expected a value (object, array, string, number, true, false or null), found ${describe(c)}`);
        }
        i++;
      }
    }
  }
  st.state = state;
  st.depth = depth;
  st.indexDepth = indexDepth;
  st.types = types;
  st.opens = opens;
  st.isKey = isKey;
  st.collecting = collecting;
  st.keyBuf = keyBuf;
  st.keyLen = keyLen;
  st.keyEscaped = keyEscaped;
  st.strStart = strStart;
  st.hexLeft = hexLeft;
  st.lit = lit;
  st.litIdx = litIdx;
  st.pos0 = pos0 + n;
}

/** Throws the InputError for a problem at `offset`; `{0}`, `{1}` in `detail` become the positions of `refs`. */
function failer(spec: ScanSpec, ix: Indexer): (offset: number, detail: string, refs?: number[]) => never {
  return (offset, detail, refs = []) => {
    const [at, ...more] = lineColumns(spec.fd, spec.file, [offset, ...refs]);
    throw new InputError(spec.file, ix.path(), `invalid JSON at ${at}: ${detail.replace(/\{(\d)\}/g, (_, k: string) => more[Number(k)] ?? '?')}`);
  };
}

function opener(type: number): string {
  return type === 1 ? 'the object' : 'the array';
}

function grow(b: Buffer, need: number): Buffer {
  const g = Buffer.allocUnsafe(Math.max(need, b.length * 2));
  b.copy(g);
  return g;
}

function hex4(c: number): string {
  return c.toString(16).toUpperCase().padStart(4, '0');
}

function describe(c: number, quoted = true): string {
  // Letters and digits are named by kind only: the input may be a secret pasted by mistake.
  if (c >= 0x30 && c <= 0x39) return 'a digit';
  if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) return 'a letter';
  if (c >= 0x21 && c < 0x7f) return quoted ? `'${String.fromCharCode(c)}'` : String.fromCharCode(c);
  if (c === 0x20) return 'a space';
  if (c < 0x20 || c === 0x7f) return `control character U+${hex4(c)}`;
  return `non-ASCII byte 0x${c.toString(16).toUpperCase()}`;
}

function describeValue(c: number): string {
  if (c === 0x5b) return 'an array';
  if (c === 0x22) return 'a string';
  if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return 'a number';
  if (c === 0x74 || c === 0x66) return 'a boolean';
  if (c === 0x6e) return 'null';
  return describe(c);
}

/**
 * Runs the scanner over a small document that takes every non-error path, in pieces of 1..7 bytes
 * and whole, before the first real scan (about a millisecond). Without it V8 optimizes the loop while
 * some branches have not run yet, deoptimizes when the file first reaches them (the first escape, the
 * first exponent, the first expanded member, ...) and re-optimizes, several times over: the first scan
 * of a 200 MB fleet snapshot took ~1.4x as long.
 */
let warm = false;
function warmUp(): void {
  if (warm) return;
  warm = true;
  const doc = Buffer.from(
    '{ "schema" : "s",\r\n\t"now":-0,"n":[0,-1.5E+3,2.5e-2,1e7,10,0.25,true,false,null,"a\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00z é😀",{},[],[[]],{"a":{"b":"c"}}],\n' +
      ' "vaults" : { "kv\\u002d1" : {"id":"kv-1","o":[1,{"x":"y"}]} , "k\\u00e9\\n":{}, "e":[], "s":"x", "n":1 , "t":true}, "x":[1,"2"], "y":{"z":null}, "t":true, "u": 12 } \n',
  );
  const spec = (topObject: boolean): ScanSpec => ({ file: '(warm-up)', fd: -1, base: 0, topObject, expand: new Set(['vaults']), basePath: '$' });
  for (let step = 1; step <= 7; step++) {
    let at = 0;
    scan(spec(true), Buffer.allocUnsafe(step), (b) => {
      const n = doc.copy(b, 0, at, Math.min(at + step, doc.length));
      at += n;
      return n;
    });
  }
  scan(spec(false), doc, wholeBuffer(doc.length));
}

/** A `read` for scan() over a buffer that already holds all `length` bytes. */
function wholeBuffer(length: number): () => number {
  let done = false;
  return () => (done ? 0 : ((done = true), length));
}

// ---------------------------------------------------------------------------------------------------
// Files and positions.

function ioError(file: string, e: unknown): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError(file, '', 'file not found');
  if (code === 'EISDIR') return new InputError(file, '', 'expected a file, found a directory');
  if (code === 'EACCES') return new InputError(file, '', 'permission denied');
  return new InputError(file, '', `cannot be read (${code ?? (e as Error).message})`);
}

function openInput(file: string): number {
  try {
    return openSync(file, 'r');
  } catch (e) {
    throw ioError(file, e);
  }
}

function statSize(fd: number, file: string): number {
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new InputError(file, '', 'expected a file, found a directory');
    return st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw ioError(file, e);
  }
}

function readAt(fd: number, file: string, buf: Buffer, offset: number, length: number, position: number): number {
  try {
    return readSync(fd, buf, offset, length, position);
  } catch (e) {
    throw ioError(file, e);
  }
}

/**
 * "line L, column C" for each byte offset (1-based; columns count UTF-16 code units since the last
 * newline, as src/util/read-json.ts does). Reads the file from the start up to the largest offset.
 */
function lineColumns(fd: number, file: string, offsets: number[]): string[] {
  const targets = [...new Set(offsets)].sort((a, b) => a - b);
  const found = new Map<number, string>();
  const buf = Buffer.allocUnsafe(1 << 20);
  let line = 1;
  let col = 0;
  let pos = 0;
  let t = 0;
  const last = targets[targets.length - 1] ?? 0;
  while (t < targets.length && pos < last) {
    const n = readAt(fd, file, buf, 0, Math.min(buf.length, last - pos), pos);
    if (n === 0) break;
    for (let i = 0; i < n; i++, pos++) {
      while (t < targets.length && targets[t] === pos) found.set(targets[t++]!, `line ${line}, column ${col + 1}`);
      const c = buf[i]!;
      if (c === 0x0a) {
        line++;
        col = 0;
      } else if ((c & 0xc0) !== 0x80) {
        col += c >= 0xf0 ? 2 : 1; // a 4-byte sequence is a surrogate pair in UTF-16
      }
    }
  }
  for (; t < targets.length; t++) found.set(targets[t]!, `line ${line}, column ${col + 1}`);
  return offsets.map((o) => found.get(o)!);
}
