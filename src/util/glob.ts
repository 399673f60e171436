/**
 * The one glob of vaultproof.yaml, waiver files and event sources (picomatch underneath). Every
 * config field that takes a pattern means the same by it:
 *
 * - `/` separates segments. `*` is any run of characters inside one segment (dots included), `?` one
 *   character other than `/`, `[a-z]` / `[^a-z]` one character of (not of) a class, `{a,b}` either
 *   alternative (nesting allowed), `\*` a literal `*`.
 * - `**` as a whole segment is any number of segments, none included: `apps/**` matches `apps` and
 *   `apps/x/y`; `**` then `/token*` matches `token-a` and `a/b/token-a`; `a/**` then `/b` matches
 *   `a/b` and `a/x/y/b` (README "Globs" has the table).
 * - Refused, with the spelling to use instead: `**` inside a segment (`foo**`), `[!...]` (write
 *   `[^...]`), brace ranges (`{1..3}`), unclosed `[` or `{`. A leading `!` and `+(...)`-style groups
 *   are plain characters.
 * - Case: sensitive, except where a field says otherwise (Azure vault names: insensitive, as Azure
 *   treats them). Names without `/` are one segment, so `*` covers the whole name.
 *
 * Rules evaluated in Rego read the same patterns compiled by `regoPathGlob`/`regoNameGlob`
 * (src/util/glob-rego.ts); test/util/glob-rego-agreement.test.ts checks both sides on one table.
 * Vault's own ACL path syntax is Vault's, not this (collectors/hashicorp-vault/policy/acl-glob.ts).
 */
import picomatch from 'picomatch';

export interface GlobOptions {
  /** Match letters case-insensitively (for names the provider compares that way). */
  nocase?: boolean;
}

const PICOMATCH = { dot: true, noextglob: true, nonegate: true, posix: false } as const;

/** One lexical piece of a pattern: a literal character (escapes resolved to `\x`), or syntax. */
export interface GlobToken {
  text: string;
  kind: 'char' | 'escape' | 'star' | 'globstar' | 'question' | 'class' | 'open' | 'comma' | 'close' | 'slash';
}

/** Splits a pattern into tokens; returns the reason it is refused instead, or the tokens. */
export function tokenize(pattern: string): GlobToken[] | string {
  const out: GlobToken[] = [];
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      if (i + 1 >= pattern.length) return 'ends in a lone `\\` (escape a character: `\\*`)';
      out.push({ text: `\\${pattern[i + 1]}`, kind: 'escape' });
      i++;
    } else if (c === '*') {
      if (pattern[i + 1] === '*') {
        let j = i;
        while (pattern[j] === '*') j++;
        const before = i === 0 || pattern[i - 1] === '/';
        const after = j === pattern.length || pattern[j] === '/';
        if (!before || !after || depth > 0) {
          return `has \`**\` inside a path segment (at character ${i + 1}); \`**\` must be a whole segment (\`a/**/b\`): within a segment write \`*\`, across folders \`**/\` (e.g. \`**/*token*\`)`;
        }
        out.push({ text: '**', kind: 'globstar' });
        i = j - 1;
      } else out.push({ text: '*', kind: 'star' });
    } else if (c === '?') out.push({ text: '?', kind: 'question' });
    else if (c === '[') {
      let j = i + 1;
      if (pattern[j] === '!') return `has \`[!\` (at character ${i + 1}); write a negated class as \`[^...]\``;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') {
        if (pattern[j] === '/' || pattern[j] === '[') return `has a character class with \`${pattern[j]}\` in it (at character ${j + 1}); a class is one character of a segment`;
        if (pattern[j] === '\\') j++;
        j++;
      }
      if (j >= pattern.length) return `has an unclosed \`[\` (at character ${i + 1}); write \`\\[\` for a literal bracket`;
      out.push({ text: pattern.slice(i, j + 1), kind: 'class' });
      i = j;
    } else if (c === '{') {
      const close = pattern.indexOf('}', i);
      if (close > 0 && /^\{[^{},]*\.\.[^{},]*\}$/.test(pattern.slice(i, close + 1))) return `has a brace range \`${pattern.slice(i, close + 1)}\`; ranges are not supported: list the alternatives (\`{1,2,3}\`)`;
      depth++;
      out.push({ text: '{', kind: 'open' });
    } else if (c === '}' && depth > 0) {
      depth--;
      out.push({ text: '}', kind: 'close' });
    } else if (c === ',' && depth > 0) out.push({ text: ',', kind: 'comma' });
    else if (c === '/') out.push({ text: '/', kind: 'slash' });
    else out.push({ text: c, kind: 'char' });
  }
  if (depth > 0) return 'has an unclosed `{`; write `\\{` for a literal brace';
  return out;
}

/** Why the pattern is refused (a phrase for "... <pattern> <problem>"), or undefined when it is a valid glob. */
export function globProblem(pattern: string): string | undefined {
  if (pattern.length === 0) return 'is empty';
  const t = tokenize(pattern);
  return typeof t === 'string' ? t : undefined;
}

export class GlobSyntaxError extends Error {
  constructor(readonly pattern: string, readonly problem: string) {
    super(`glob ${JSON.stringify(pattern)} ${problem}`);
    this.name = 'GlobSyntaxError';
  }
}

/**
 * picomatch reads `(...)` as a group even without extglobs, and passes `|` into its regular expression
 * unescaped when a pattern has a `/` (`x/a|b` became `^(?:x\/a|b)$`, matching `x/a` or `b` alone: a waiver on an
 * Azure grant id, which holds `|`, would have waived every one-segment resource): both are plain
 * characters here.
 */
function picomatchSpelling(pattern: string): string {
  return pattern.replace(/\\.|[()|]/g, (m) => (m.length === 2 ? m : `\\${m}`));
}

/** The pattern as a regular expression (a RegExp survives structured cloning to workers; a function would not). */
export function globRegExp(pattern: string, opts: GlobOptions = {}): RegExp {
  const problem = globProblem(pattern);
  if (problem !== undefined) throw new GlobSyntaxError(pattern, problem);
  return picomatch.makeRe(picomatchSpelling(pattern), { ...PICOMATCH, nocase: opts.nocase === true });
}

/** A predicate over subjects for the pattern. */
export function globMatcher(pattern: string, opts: GlobOptions = {}): (subject: string) => boolean {
  const re = globRegExp(pattern, opts);
  return (subject) => re.test(subject);
}

/** True when the text has glob syntax (`*`, `?`, `[`, `{`): a file path with none is read as it is. */
export function hasGlobSyntax(text: string): boolean {
  return /[*?[{]/.test(text);
}
