import { globMatcher, globProblem, globRegExp, GlobSyntaxError, hasGlobSyntax } from '../../src/util/glob.js';
import { legacyAnyCharRegExp, legacyDivergence, legacySpelling } from '../../src/util/glob-legacy.js';
import { regoContentTypeGlob } from '../../src/util/glob-rego.js';
import { CONTENT_TYPE_CASES, NAME_CASES, PATH_CASES } from './glob-cases.js';

describe('the one glob', () => {
  it.each([...PATH_CASES, ...NAME_CASES, ...CONTENT_TYPE_CASES])('%j against %j: %j', (pattern, subject, expected) => {
    expect(globMatcher(pattern)(subject)).toBe(expected);
  });

  it('case-insensitive only when a field asks (Azure vault names)', () => {
    expect(globRegExp('KV-*').test('kv-platform-weu')).toBe(false);
    expect(globRegExp('KV-*', { nocase: true }).test('kv-platform-weu')).toBe(true);
    expect(globRegExp('kv-[a-c]*', { nocase: true }).test('KV-Apps')).toBe(true);
  });

  it('a RegExp, so that waivers keep their matcher across worker threads', () => {
    const re = structuredClone(globRegExp('**/*gw-cert'));
    expect(re.test('kv-app/project/gw-cert')).toBe(true);
  });

  it.each([
    ['foo**', '`**` inside a path segment'],
    ['**token*', '`**` inside a path segment'],
    ['a/**b/c', '`**` inside a path segment'],
    ['{a,**}/b', '`**` inside a path segment'],
    ['[!a]', 'write a negated class as `[^...]`'],
    ['{1..3}', 'brace range `{1..3}`'],
    ['a[bc', 'unclosed `[`'],
    ['a{b,c', 'unclosed `{`'],
    ['[a/b]', 'a class is one character of a segment'],
    ['a\\', 'lone `\\`'],
    ['', 'is empty'],
  ])('refuses %j with the spelling to use (%s)', (pattern, problem) => {
    expect(globProblem(pattern)).toContain(problem);
    expect(() => globRegExp(pattern)).toThrow(GlobSyntaxError);
  });

  it('content types take `*` only as a whole part', () => {
    expect(() => regoContentTypeGlob('*pkcs12')).toThrow('not a whole part');
    expect(() => regoContentTypeGlob('*')).toThrow('not a whole part');
    expect(() => regoContentTypeGlob('application/**')).toThrow('`**`');
    expect(regoContentTypeGlob('application/*')).toBe('application/**');
  });

  it('hasGlobSyntax: a path with none is read as it is', () => {
    expect(hasGlobSyntax('logs/audit.log')).toBe(false);
    for (const p of ['logs/*.log', 'logs/?.log', 'logs/[ab].log', 'logs/{a,b}.log']) expect(hasGlobSyntax(p)).toBe(true);
  });
});

describe('the old reading of waiver and principal globs', () => {
  it('crossed `/`, matched `?` to anything and read brackets literally', () => {
    expect(legacyAnyCharRegExp('*gw-cert').test('kv/a/b/gw-cert')).toBe(true);
    expect(legacyAnyCharRegExp('a[1]').test('a[1]')).toBe(true);
  });

  it.each([
    ['*gw-cert', 'kv-app/project/gw-cert', '**/*gw-cert'],
    ['kv-app/*', 'kv-app/project/x', 'kv-app/**'],
    ['orchestrator*', 'orchestrator/x', 'orchestrator*/**'],
    ['*/control-plane/*', 'kv/project/control-plane/x', '**/control-plane/**'],
    ['a*b', 'a/x/b', undefined],
  ])('respells %j for %j as %j when that keeps it matching', (pattern, subject, spelt) => {
    expect(legacySpelling(pattern, subject)).toBe(spelt);
    if (spelt) expect(globRegExp(spelt).test(subject)).toBe(true);
  });

  it('says what changed and what to write', () => {
    expect(legacyDivergence('*gw-cert', 'kv/gw-cert', true)).toBe('glob "*gw-cert" no longer matches "kv/gw-cert": `*` now stays within one path segment and `[...]`, `{...}` are classes and alternatives (README "Globs"); write "**/*gw-cert" (`**` spans folders) to keep matching it');
    expect(legacyDivergence('cert[1]', 'cert1', false)).toContain('now matches "cert1"');
  });
});
