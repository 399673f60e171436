/**
 * The one glob (src/util/glob.ts) compiled for Rego's glob.match, so that a pattern means the same
 * in the policies as in TypeScript. The Rego side stays as it is; the engine hands it compiled
 * patterns (engine/config-data.ts `policyData`), the findings document records them as written.
 *
 * - `regoPathGlob` for glob.match(p, ["/"], s): `*`, `?` and classes already stop at `/`; a `**`
 *   segment becomes `{,**∕}` / `{∕,∕**∕}` / `{,∕**}` (OPA's `**` needs the slashes around it, ours
 *   also matches no segment); `[^` becomes `[!`.
 * - `regoNameGlob` for glob.match(p, [], s), which splits at `.`: for subjects without `/` (policy
 *   names, credential types) `*` becomes `**` (any characters, dots included) and `?` becomes `[!/]`.
 * - `regoContentTypeGlob`, the same for content types, which carry a `/`: there `*` is accepted only
 *   as a whole part (`application/*`, `*∕*`).
 * (∕ stands for / inside this comment.)
 */
import { GlobSyntaxError, tokenize, type GlobToken } from './glob.js';

function tokens(pattern: string): GlobToken[] {
  const t = tokenize(pattern);
  if (typeof t === 'string') throw new GlobSyntaxError(pattern, t);
  return t;
}

const classText = (t: GlobToken) => (t.text.startsWith('[^') ? `[!${t.text.slice(2)}` : t.text);

/**
 * OPA's WASM glob.match turns the pattern into a regular expression without quoting these (nor
 * their escapes): they go in as one-character classes, which both evaluators read literally.
 */
function charText(t: GlobToken): string {
  const c = t.kind === 'escape' ? t.text.slice(1) : t.text;
  return (t.kind === 'char' || t.kind === 'escape') && '()$^|+'.includes(c) ? `[${c}]` : t.text;
}

/** For glob.match(pattern, ["/"], subject). */
export function regoPathGlob(pattern: string): string {
  const ts = tokens(pattern);
  // Collapse `**/**` runs: one globstar segment means the same.
  const seq: GlobToken[] = [];
  for (const t of ts) {
    const n = seq.length;
    if (t.kind === 'globstar' && n >= 2 && seq[n - 1]?.kind === 'slash' && seq[n - 2]?.kind === 'globstar') {
      seq.pop();
      continue;
    }
    seq.push(t);
  }
  if (seq.length === 1 && seq[0]?.kind === 'globstar') return '**';
  if (seq.length === 1 && seq[0]?.kind === 'star') return '?*'; // a lone `*` names something: not the empty string
  let out = '';
  for (let i = 0; i < seq.length; i++) {
    const t = seq[i] as GlobToken;
    if (t.kind === 'globstar') {
      const first = i === 0;
      const last = i === seq.length - 1;
      if (first) {
        out += '{,**/}';
        i++; // the slash after it is inside the alternative
      } else if (last) {
        out = `${out.slice(0, -1)}{,/**}`; // the slash before it moves inside
      } else {
        out = `${out.slice(0, -1)}{/,/**/}`;
        i++;
      }
    } else if (t.kind === 'class') out += classText(t);
    else out += charText(t);
  }
  return out;
}

/** For glob.match(pattern, [], subject) over names, which hold no `/` (policy names, credential types). */
export function regoNameGlob(pattern: string): string {
  return nameGlob(tokens(pattern));
}

/**
 * For glob.match(pattern, [], subject) over content types (`type/subtype`): `*` only as a whole
 * part (`application/*`, `*∕*`), so that it cannot reach across the `/` (OPA's `**` would).
 */
export function regoContentTypeGlob(pattern: string): string {
  const ts = tokens(pattern);
  ts.forEach((t, i) => {
    if (t.kind === 'globstar') throw new GlobSyntaxError(pattern, 'has `**`; a content type has two parts: write `*/*` for any');
    if (t.kind !== 'star') return;
    const whole = (i === 0 || ts[i - 1]?.kind === 'slash') && (i === ts.length - 1 || ts[i + 1]?.kind === 'slash');
    if (!whole || !ts.some((x) => x.kind === 'slash')) {
      throw new GlobSyntaxError(pattern, 'has `*` that is not a whole part of `type/subtype`; write `application/*` or `*/*`');
    }
  });
  return nameGlob(ts);
}

function nameGlob(ts: GlobToken[]): string {
  if (ts.length === 1 && ts[0]?.kind === 'star') return '[!/]**'; // a lone `*` names something: not the empty string
  let out = '';
  for (const t of ts) {
    if (t.kind === 'star' || t.kind === 'globstar') out += '**';
    else if (t.kind === 'question') out += '[!/]';
    else if (t.kind === 'class') out += classText(t);
    else out += charText(t);
  }
  return out;
}
