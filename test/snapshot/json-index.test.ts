import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { findJsonProblem } from '../../src/util/strict-json.js';
import { DEFAULT_CHUNK_SIZE, MAX_NESTING, findMember, indexJsonFile, readJsonRange, type JsonFileIndex, type JsonMember } from '../../src/snapshot/json-index.js';
import { InputError } from '../../src/util/input-error.js';
import { parseJsonText, readJsonFile } from '../../src/util/read-json.js';

let work: string;
let seq = 0;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'vp-json-index-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function tempFile(content: string | Buffer): string {
  const file = join(work, `doc-${++seq}.json`);
  writeFileSync(file, content);
  return file;
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

/** The InputError `indexJsonFile` throws, checked to be the same at every chunk size. */
function indexError(text: string | Buffer, expand: string[] = ['vaults']): InputError {
  const file = tempFile(text);
  let first: InputError | undefined;
  for (const chunkSize of [1, 2, 3, 7, undefined]) {
    const e = thrown(() => indexJsonFile(file, { expand, chunkSize }));
    expect(e).toBeInstanceOf(InputError);
    const ie = e as InputError;
    expect(ie.file).toBe(file);
    if (first) expect([ie.path, ie.detail]).toEqual([first.path, first.detail]);
    first = ie;
  }
  return first!;
}

// ---------------------------------------------------------------------------------------------------
// Documents as trees that keep member order, duplicate names and number spellings, rendered with random
// whitespace and random (valid) escape choices.

type Node =
  | { t: 'lit'; v: 'true' | 'false' | 'null' }
  | { t: 'num'; text: string }
  | { t: 'str'; s: string }
  | { t: 'arr'; items: Node[] }
  | { t: 'obj'; entries: [string, Node][] };

const SPECIAL = ['"', '\\', '/', '{', '}', '[', ']', ',', ':', ' ', '\n', '\r', '\t', '\u0000', '\u001f', '\u007f', 'é', '€', '😀', '\u2028', '\ud800', '\udfff', 'a', 'Z', '0'];
const char = fc.oneof(fc.constantFrom(...SPECIAL), fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)));
const str = fc.string({ unit: char, maxLength: 12 });
const key = fc.oneof(str, fc.constantFrom('', 'vaults', 'kv-1', '__proto__', 'constructor', 'a"b', 'a\\b', '{', '😀'));
const digits = (min: number) => fc.string({ unit: fc.constantFrom('0', '1', '2', '5', '9'), minLength: min, maxLength: 4 });
const numText = fc
  .record({
    minus: fc.boolean(),
    int: fc.oneof(fc.constant('0'), fc.tuple(fc.constantFrom('1', '3', '9'), digits(0)).map(([a, b]) => a + b)),
    frac: fc.option(digits(1), { nil: undefined }),
    exp: fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(1)), { nil: undefined }),
  })
  .map(({ minus, int, frac, exp }) => `${minus ? '-' : ''}${int}${frac === undefined ? '' : `.${frac}`}${exp ? exp.join('') : ''}`);

const scalar: fc.Arbitrary<Node> = fc.oneof(
  fc.constantFrom('true', 'false', 'null').map((v) => ({ t: 'lit', v }) as Node),
  numText.map((text) => ({ t: 'num', text }) as Node),
  str.map((s) => ({ t: 'str', s }) as Node),
);
const { node } = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('node'), { maxLength: 4 }).map((items) => ({ t: 'arr', items }) as Node),
    // Deep objects may repeat a name: JSON.parse keeps the last, and so does the range.
    fc.array(fc.tuple(key, tie('node')), { maxLength: 4 }).map((entries) => ({ t: 'obj', entries }) as Node),
  ),
}));
const uniqueEntries = (value: fc.Arbitrary<Node>, maxLength: number) => fc.uniqueArray(fc.tuple(key, value), { selector: ([k]) => k, maxLength });
/** A top-level member: any value but an object with repeated names (those are rejected when expanded). */
const member = fc.oneof(
  node.filter((n) => n.t !== 'obj'),
  uniqueEntries(node, 5).map((entries) => ({ t: 'obj', entries }) as Node),
);
const doc = fc.record({
  entries: uniqueEntries(member, 6),
  expandMask: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  seed: fc.integer(),
});

function rng(seed: number): () => number {
  let s = seed | 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

const WS = ['', '', '', ' ', '\n', '\t', '\r\n', '\n    ', ' \t '];
const SHORT: Record<string, string> = { '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function render(n: Node, r: () => number): string {
  const ws = () => WS[Math.floor(r() * WS.length)]!;
  const u = (code: number) => {
    const h = code.toString(16).padStart(4, '0');
    return `\\u${r() < 0.5 ? h : h.toUpperCase()}`;
  };
  const quote = (s: string) => {
    let out = '"';
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const ch = s[i]!;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
        out += r() < 0.3 ? u(c) + u(s.charCodeAt(i + 1)) : s.slice(i, i + 2); // escaped pair or raw 4-byte UTF-8
        i++;
      } else if (c >= 0xd800 && c <= 0xdfff) out += u(c); // a lone surrogate can only be written escaped
      else if (ch === '"') out += '\\"';
      else if (ch === '\\') out += '\\\\';
      else if (c < 0x20) out += SHORT[ch] && r() < 0.5 ? SHORT[ch] : u(c);
      else if (ch === '/' && r() < 0.5) out += '\\/';
      else out += r() < 0.15 ? u(c) : ch;
    }
    return out + '"';
  };
  switch (n.t) {
    case 'lit':
      return n.v;
    case 'num':
      return n.text;
    case 'str':
      return quote(n.s);
    case 'arr':
      return n.items.length ? `[${n.items.map((x) => ws() + render(x, r) + ws()).join(',')}]` : `[${ws()}]`;
    case 'obj':
      return n.entries.length ? `{${n.entries.map(([k, v]) => `${ws()}${quote(k)}${ws()}:${ws()}${render(v, r)}${ws()}`).join(',')}}` : `{${ws()}}`;
  }
}

function renderDoc(d: { entries: [string, Node][]; seed: number }): string {
  const r = rng(d.seed);
  return `${WS[Math.abs(d.seed) % WS.length]}${render({ t: 'obj', entries: d.entries }, r)}${WS[Math.abs(d.seed >> 4) % WS.length]}`;
}

/** Checks an index against JSON.parse of the whole text. */
/**
 * readJsonRange equals JSON.parse of the range, except that a member name repeated anywhere inside
 * the range is refused (issue 21: JSON.parse would keep the last copy).
 */
function expectRange(file: string, m: JsonMember, expected: unknown): void {
  const text = readFileSync(file).subarray(m.start, m.end).toString('utf8');
  if (findJsonProblem(text)?.detail.startsWith('duplicate member name')) {
    expect(thrown(() => readJsonRange(file, m))).toMatchObject({ name: 'InputError', detail: expect.stringMatching(/^invalid JSON at line \d+, column \d+: duplicate member name/) });
  } else {
    expect(readJsonRange(file, m)).toEqual(expected);
  }
}

function checkIndex(ix: JsonFileIndex, file: string, text: string, keys: string[], expand: Set<string>): void {
  const whole = JSON.parse(text) as Record<string, unknown>;
  const bytes = Buffer.from(text);
  const isWs = (b: number | undefined) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
  const checkRange = (m: JsonMember, expected: unknown) => {
    expect(m.start).toBeLessThan(m.end);
    expect(isWs(bytes[m.start]) || isWs(bytes[m.end - 1])).toBe(false);
    expect(JSON.parse(bytes.subarray(m.start, m.end).toString('utf8'))).toEqual(expected);
    expectRange(file, m, expected);
  };
  expect(ix.size).toBe(bytes.length);
  expect(ix.members.map((m) => m.key)).toEqual(keys);
  for (const m of ix.members) {
    const value = Object.prototype.hasOwnProperty.call(whole, m.key) ? whole[m.key] : undefined;
    checkRange(m, value);
    const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
    if (expand.has(m.key) && isObject) {
      const obj = value as Record<string, unknown>;
      expect(m.members!.map((c) => c.key).sort()).toEqual(Object.keys(obj).sort());
      for (const c of m.members!) checkRange(c, obj[c.key]);
    } else {
      expect(m.members).toBeUndefined();
    }
  }
}

describe('indexJsonFile: ranges equal JSON.parse of the whole text', () => {
  it('for arbitrary documents, at chunk sizes that split escapes, UTF-8 sequences and names', () => {
    fc.assert(
      fc.property(doc, (d) => {
        const text = renderDoc(d);
        const file = tempFile(text);
        const keys = d.entries.map(([k]) => k);
        const expand = new Set([...keys.filter((_, i) => d.expandMask[i]), 'not-present']);
        for (const chunkSize of [1, 2, 3, 7, 64, undefined]) {
          checkIndex(indexJsonFile(file, { expand: [...expand], chunkSize }), file, text, keys, expand);
        }
        // Child order is file order, too.
        const ix = indexJsonFile(file, { expand: [...expand] });
        for (const [k, v] of d.entries) {
          const m = findMember(ix.members, k)!;
          if (expand.has(k) && v.t === 'obj') expect(m.members!.map((c) => c.key)).toEqual(v.entries.map(([ck]) => ck));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('accepts exactly what JSON.parse accepts (after a one-byte mutation), except repeated names at the indexed levels', () => {
    const INSERT = ['"', '\\', '{', '}', '[', ']', ',', ':', ' ', 'a', '0', '-', '.', 'e', 'u', 'n', '\n', '\u0001', '\u00e9'];
    fc.assert(
      fc.property(doc, fc.nat(), fc.nat(), fc.constantFrom('delete', 'insert', 'replace'), (d, at, pick, op) => {
        const good = Buffer.from(renderDoc(d));
        const i = at % good.length;
        const b = Buffer.from(INSERT[pick % INSERT.length]!);
        const bad = op === 'delete' ? Buffer.concat([good.subarray(0, i), good.subarray(i + 1)]) : Buffer.concat([good.subarray(0, i), b, good.subarray(op === 'insert' ? i : i + 1)]);
        const text = bad.toString('utf8');
        let whole: unknown;
        let parses = true;
        try {
          whole = JSON.parse(text);
        } catch {
          parses = false;
        }
        const file = tempFile(bad);
        const keys = d.entries.map(([k]) => k);
        for (const chunkSize of [1, 5, undefined]) {
          let ix: JsonFileIndex | undefined;
          let err: unknown;
          try {
            ix = indexJsonFile(file, { expand: keys, chunkSize });
          } catch (e) {
            err = e;
          }
          if (!parses || whole === null || typeof whole !== 'object' || Array.isArray(whole)) {
            expect(err).toBeInstanceOf(InputError);
            expect((err as InputError).detail).toMatch(/line \d+, column \d+|empty file|byte order mark/);
          } else if (err) {
            expect(err).toBeInstanceOf(InputError);
            expect((err as InputError).detail).toMatch(/^duplicate member name /);
          } else {
            for (const m of ix!.members) {
              expectRange(file, m, (whole as Record<string, unknown>)[m.key]);
              for (const c of m.members ?? []) expectRange(file, c, ((whole as Record<string, Record<string, unknown>>)[m.key] ?? {})[c.key]);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('indexes a file larger than the default chunk with the default chunk size', () => {
    const file = join(work, 'large.json');
    const fd = openSync(file, 'w');
    const vaults: Record<string, unknown> = {};
    writeSync(fd, '{\n  "schema": "vaultproof/snapshot/v1",\n  "vaults": {');
    for (let v = 0; v < 40; v++) {
      const objects: Record<string, unknown> = {};
      for (let o = 0; o < 1200; o++) objects[`obj-${o}`] = { id: `obj-${o}`, kind: o % 3 ? 'secret' : 'key', tags: { owner: `team-${o % 7}`, note: 'quote " backslash \\ brace } é 😀' }, versions: { [`v${o}`]: { created: 1700000000 + o, enabled: o % 5 !== 0, exp: null } } };
      const vault = { id: `kv-${v}`, objects };
      vaults[`kv-${v}`] = vault;
      writeSync(fd, `${v ? ',' : ''}\n    ${JSON.stringify(`kv-${v}`)}: ${JSON.stringify(vault, null, v % 2 ? 2 : undefined)}`);
    }
    writeSync(fd, '\n  },\n  "principals": {"p": {"id": "p"}}\n}\n');
    closeSync(fd);
    const ix = indexJsonFile(file, { expand: ['vaults'] });
    expect(ix.size).toBeGreaterThan(DEFAULT_CHUNK_SIZE + 1_000_000);
    expect(ix.members.map((m) => m.key)).toEqual(['schema', 'vaults', 'principals']);
    const vm = findMember(ix.members, 'vaults')!;
    expect(vm.members!.map((m) => m.key)).toEqual(Object.keys(vaults));
    const handle = { fd: openSync(file, 'r'), file };
    try {
      for (const m of vm.members!) expect(readJsonRange(handle, m)).toEqual(vaults[m.key]);
      expect(readJsonRange(handle, findMember(ix.members, 'principals')!)).toEqual({ p: { id: 'p' } });
    } finally {
      closeSync(handle.fd);
    }
    // An odd chunk size that does not divide anything gives the same index.
    expect(indexJsonFile(file, { expand: ['vaults'], chunkSize: (1 << 20) + 7 })).toEqual(ix);
  });
});

describe('indexJsonFile: the index', () => {
  it('gives names, paths and ranges, in file order, one level deeper for expanded objects only', () => {
    const text = '{"b": 1, "vaults": {"kv-1": {"x": [1]}, "a/b~c": "s", "0": null}, "other": {"y": 2}, "a": [ ]}';
    const file = tempFile(text);
    const ix = indexJsonFile(file, { expand: ['vaults'] });
    const slice = (m: JsonMember) => text.slice(m.start, m.end);
    expect(ix.members.map((m) => [m.key, m.path, slice(m)])).toEqual([
      ['b', '$.b', '1'],
      ['vaults', '$.vaults', '{"kv-1": {"x": [1]}, "a/b~c": "s", "0": null}'],
      ['other', '$.other', '{"y": 2}'],
      ['a', '$.a', '[ ]'],
    ]);
    expect(findMember(ix.members, 'vaults')!.members!.map((m) => [m.key, m.path, slice(m)])).toEqual([
      ['kv-1', '$.vaults["kv-1"]', '{"x": [1]}'],
      ['a/b~c', '$.vaults["a/b~c"]', '"s"'],
      ['0', '$.vaults[0]', 'null'],
    ]);
    expect(findMember(ix.members, 'other')!.members).toBeUndefined();
    expect(indexJsonFile(file).members.every((m) => m.members === undefined)).toBe(true);
    // An expanded name whose value is not an object has no members.
    expect(indexJsonFile(tempFile('{"vaults": [1, 2]}'), { expand: ['vaults'] }).members[0]!.members).toBeUndefined();
  });

  it('decodes names: escapes, \\u escapes with surrogate pairs, raw multibyte UTF-8', () => {
    const text = '{"a\\"b\\\\c\\/d\\n": 1, "\\u00e9\\uD83D\\uDE00": 2, "é😀€": 3, "\\ud800": 4}';
    const ix = indexJsonFile(tempFile(text), { chunkSize: 1 });
    expect(ix.members.map((m) => m.key)).toEqual(['a"b\\c/d\n', 'é😀', 'é😀€', '\ud800']);
    expect(ix.members.map((m) => m.key)).toEqual(Object.keys(JSON.parse(text) as object));
  });

  // Issue 21: JSON.parse kept the last copy, so a deeper duplicate was silently last-wins.
  it('refuses repeated names below the indexed levels when the range is read, with the path and position', () => {
    const file = tempFile('{"vaults": {"kv-1": {"a": 1, "a": 2}}}');
    const kv = indexJsonFile(file, { expand: ['vaults'] }).members[0]!.members![0]!;
    expect(thrown(() => readJsonRange(file, kv))).toMatchObject({ path: '$.vaults["kv-1"].a', detail: expect.stringMatching(/^invalid JSON at line 1, column 30: duplicate member name/) });
  });

  it('rejects a bad chunk size as a programming error', () => {
    const file = tempFile('{}');
    expect(() => indexJsonFile(file, { chunkSize: 0 })).toThrow(RangeError);
    expect(() => indexJsonFile(file, { chunkSize: 1.5 })).toThrow(RangeError);
  });
});

describe('indexJsonFile: malformed input is an InputError with the file, the path and the position', () => {
  const cases: [name: string, text: string, path: string, detail: RegExp][] = [
    ['unterminated string', '{"a": "abc', '$.a', /^invalid JSON at line 1, column 7: unterminated string: the file ends inside it \(at line 1, column 11\)/],
    ['unterminated string inside a vault', '{"vaults": {"kv-1": {"x": "abc\\"}}}', '$.vaults["kv-1"]', /^invalid JSON at line 1, column 27: unterminated string/],
    ['unterminated name', '{"ab', '$', /^invalid JSON at line 1, column 2: unterminated string/],
    ['missing colon', '{"a" 1}', '$', /^invalid JSON at line 1, column 6: expected ':' after the member name "a", found a digit$/],
    ['missing colon in vaults', '{"vaults": {"kv-1" {}}}', '$.vaults', /^invalid JSON at line 1, column 20: expected ':' after the member name "kv-1", found '\{'$/],
    ['missing comma', '{"a": 1 "b": 2}', '$', /^invalid JSON at line 1, column 9: expected ',' or '}' after the member "a", found '"'$/],
    ['missing comma between vaults', '{"vaults": {"kv-1": {}\n "kv-2": {}}}', '$.vaults', /^invalid JSON at line 2, column 2: expected ',' or '}' after the member "kv-1", found '"'$/],
    ['missing comma deep', '{"vaults": {"kv-1": {"objects": [1 2]}}}', '$.vaults["kv-1"]', /^invalid JSON at line 1, column 36: expected ',' or '\]' after an array element, found a digit$/],
    ['trailing garbage', '{"a": 1} x', '$', /^invalid JSON at line 1, column 10: expected nothing after the top-level object, found a letter$/],
    ['a second object', '{"a": 1}\n{}', '$', /^invalid JSON at line 2, column 1: expected nothing after the top-level object, found '\{'$/],
    ['extra closing bracket', '{"a": 1}}', '$', /^invalid JSON at line 1, column 9: expected nothing after the top-level object, found '\}'$/],
    ['mismatched bracket', '{"a": [1, 2}', '$.a', /^invalid JSON at line 1, column 12: found '\}', but the innermost open bracket is the array at line 1, column 7: expected '\]'$/],
    ['unclosed object', '{"a": {"b": 1}', '$', /^invalid JSON at line 1, column 15: unexpected end of file: the object opened at line 1, column 1 is not closed \(1 still open\); expected '\}'$/],
    ['unclosed vault', '{"vaults": {"kv-1": {"x": [', '$.vaults["kv-1"]', /^invalid JSON at line 1, column 28: unexpected end of file: the array opened at line 1, column 27 is not closed \(4 still open\); expected '\]'$/],
    ['trailing comma', '{"a": 1,}', '$', /^invalid JSON at line 1, column 9: expected a member name \(a string\) after ',', found '\}'$/],
    ['trailing comma in an array', '{"a": [1,]}', '$.a', /^invalid JSON at line 1, column 10: expected a value .*, found '\]'$/],
    ['name not a string', '{a: 1}', '$', /^invalid JSON at line 1, column 2: expected a member name \(a string\) or '\}', found a letter$/],
    ['raw newline in a string', '{"a": "x\ny"}', '$.a', /^invalid JSON at line 1, column 9: raw control character U\+000A in a string/],
    ['raw tab in a name', '{"vaults": {"k\tv": 1}}', '$.vaults', /^invalid JSON at line 1, column 15: raw control character U\+0009/],
    ['invalid escape', '{"a": "\\x"}', '$.a', /^invalid JSON at line 1, column 8: invalid escape in a string: .*found \\a letter$/],
    ['short \\u escape', '{"a": "\\u12g4"}', '$.a', /^invalid JSON at line 1, column 12: invalid \\u escape in a string: expected 4 hex digits, found a letter$/],
    ['leading zero', '{"a": 01}', '$.a', /^invalid JSON at line 1, column 8: invalid number: expected no leading zeros$/],
    ['lone minus', '{"a": -}', '$.a', /^invalid JSON at line 1, column 8: invalid number: expected a digit after '-'/],
    ['no fraction digits', '{"a": 1.}', '$.a', /^invalid JSON at line 1, column 9: invalid number: expected a digit after '\.'/],
    ['no exponent digits', '{"a": 1e+}', '$.a', /^invalid JSON at line 1, column 10: invalid number: expected a digit in the exponent/],
    ['plus sign', '{"a": +1}', '$.a', /^invalid JSON at line 1, column 7: expected a value/],
    ['bad literal', '{"a": tru}', '$.a', /^invalid JSON at line 1, column 10: invalid literal: expected "true", found '\}'$/],
    ['NaN', '{"a": NaN}', '$.a', /^invalid JSON at line 1, column 7: expected a value/],
    ['top-level array', '[{"a": 1}]', '$', /^invalid JSON at line 1, column 1: expected the top-level value to be a JSON object, found an array$/],
    ['top-level string', '  "x"', '$', /^invalid JSON at line 1, column 3: expected the top-level value to be a JSON object, found a string$/],
    ['top-level number', '\n12', '$', /^invalid JSON at line 2, column 1: expected the top-level value to be a JSON object, found a number$/],
    ['only whitespace', ' \n\t ', '$', /^invalid JSON at line 2, column 3: expected a JSON object, found only whitespace$/],
    ['duplicate top-level name', '{"a": 1,\n "a": 2}', '$.a', /^duplicate member name "a" at line 2, column 2 \(first at line 1, column 2\): the value would be ambiguous/],
    ['duplicate name, one escaped', '{"vaults": {}, "vault\\u0073": {}}', '$.vaults', /^duplicate member name "vaults" at line 1, column 16 \(first at line 1, column 2\)/],
    ['duplicate vault', '{"vaults": {"kv-1": {},\n  "kv-1": {"x": 1}}}', '$.vaults["kv-1"]', /^duplicate member name "kv-1" at line 2, column 3 \(first at line 1, column 13\)/],
    ['position after multibyte characters', '{\r\n  "é😀": "€",\n  "b" 2\n}', '$', /^invalid JSON at line 3, column 7: expected ':' after the member name "b", found a digit$/],
  ];
  it.each(cases)('%s', (_name, text, path, detail) => {
    const e = indexError(text);
    expect([e.path, e.detail]).toEqual([path, expect.stringMatching(detail)]);
    expect(e.message).toBe(`${e.file}: ${path}: ${e.detail}`);
  });

  it('reports the same line and column as the whole-file reader where JSON.parse gives a position', () => {
    for (const text of ['{\n  "é😀": 1,\n  "b" 2\n}', '{"a": 1 "b": 2}', '{\n"a": "x\ty"}', '{"a": 1}\n\n  x', '{"a":\n [1 2]}', '{"😀😀": 1, "b": 01}']) {
      const whole = thrown(() => parseJsonText(text, 'f')) as InputError;
      const pos = /line \d+, column \d+/.exec(whole.detail);
      expect(pos).not.toBeNull();
      expect(indexError(text).detail).toContain(`at ${pos![0]}:`);
    }
  });

  it('empty file, missing file, directory', () => {
    expect(indexError('')).toMatchObject({ path: '', detail: 'empty file, expected a JSON object' });
    const missing = join(work, 'missing.json');
    expect(thrown(() => indexJsonFile(missing))).toMatchObject({ name: 'InputError', file: missing, path: '', detail: 'file not found' });
    const dir = join(work, 'a-dir');
    mkdirSync(dir);
    expect(thrown(() => indexJsonFile(dir))).toMatchObject({ name: 'InputError', file: dir, path: '', detail: 'expected a file, found a directory' });
  });

  it('rejects a UTF-8 byte order mark with a clear message, as the whole-file reader rejects it', () => {
    const text = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a": 1}')]);
    expect(indexError(text)).toMatchObject({ path: '', detail: expect.stringMatching(/^starts with a UTF-8 byte order mark \(BOM\)/) });
    expect(() => readJsonFile(tempFile(text))).toThrow(InputError);
  });

  it('rejects nesting deeper than MAX_NESTING instead of growing without bound', () => {
    const e = indexError(`{"a": ${'['.repeat(MAX_NESTING + 1)}`);
    expect(e.path).toBe('$.a');
    expect(e.detail).toMatch(new RegExp(`^invalid JSON at line 1, column ${7 + MAX_NESTING - 1}: nested deeper than ${MAX_NESTING} levels`));
  });
});

describe('readJsonRange', () => {
  it('reports a value that no longer parses (the file changed) with the path and the line and column in the file', () => {
    const text = '{\n  "vaults": {\n    "kv-1": {"a": [1, 2]},\n    "kv-2": {"b": true}\n  }\n}\n';
    const file = tempFile(text);
    const ix = indexJsonFile(file, { expand: ['vaults'] });
    const kv2 = findMember(ix.members, 'vaults')!.members![1]!;
    expect(readJsonRange(file, kv2)).toEqual({ b: true });
    writeFileSync(file, text.replace('{"b": true}', '{"b": tru }'));
    const e = thrown(() => readJsonRange(file, kv2)) as InputError;
    expect(e).toBeInstanceOf(InputError);
    expect([e.file, e.path, e.detail]).toEqual([file, '$.vaults["kv-2"]', `invalid JSON at line 4, column 22: invalid literal: expected "true", found a space`]);
    // An explicit label and an open descriptor.
    const fd = openSync(file, 'r');
    try {
      expect(thrown(() => readJsonRange({ fd, file }, kv2, '$.somewhere'))).toMatchObject({ file, path: '$.somewhere' });
      expect(readJsonRange({ fd, file }, findMember(ix.members, 'vaults')!.members![0]!)).toEqual({ a: [1, 2] });
    } finally {
      closeSync(fd);
    }
    writeFileSync(file, text.replace('{"b": true}', '{"b": true,'));
    expect(thrown(() => readJsonRange(file, kv2))).toMatchObject({ path: '$.vaults["kv-2"]', detail: 'invalid JSON at line 4, column 24: unexpected end of value: the object opened at line 4, column 13 is not closed (1 still open); expected \'}\'' });
    writeFileSync(file, text.replace('{"b": true}', '{"b": 1}  }'));
    expect(thrown(() => readJsonRange(file, kv2))).toMatchObject({ detail: "invalid JSON at line 4, column 23: expected nothing after the top-level value, found '}'" });
  });

  it('reports a file that became shorter', () => {
    const file = tempFile('{"a": "0123456789"}');
    const [a] = indexJsonFile(file).members;
    writeFileSync(file, '{"a": "01');
    expect(thrown(() => readJsonRange(file, a!))).toMatchObject({ name: 'InputError', file, path: '$.a', detail: expect.stringMatching(/^expected 12 bytes at byte offset 6, the file ends after 3 of them/) });
  });

  it('parses scalars and strings as ranges, and rejects a range that is not one', () => {
    const file = tempFile('{"n": -1.5e3, "s": "\\u00e9\\n", "t": true}');
    const ix = indexJsonFile(file);
    expect(ix.members.map((m) => readJsonRange(file, m))).toEqual([-1500, 'é\n', true]);
    expect(() => readJsonRange(file, { start: 5, end: 3 })).toThrow(RangeError);
    expect(thrown(() => readJsonRange(file, { start: 5, end: 5 }, '$.x'))).toMatchObject({ path: '$.x', detail: 'invalid JSON at line 1, column 6: empty value' });
  });
});
