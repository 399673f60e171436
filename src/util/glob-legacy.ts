/**
 * The meaning waiver resources and `principals:` matches had before the one glob (src/util/glob.ts):
 * `*` was any run of characters, `/` included, `?` any one character, everything else literal. A
 * pattern that matched differently under the old meaning on the data at hand would change a verdict
 * without a word, so the caller refuses it instead (naming the file, the entry, the subject and
 * the new spelling); a pattern that means the same on every subject it meets keeps working.
 * Event source paths had a third reading (`legacySegmentRegExp`), refused the same way.
 */
import { globRegExp } from './glob.js';

/** The old reading of a waiver resource or principal match. */
export function legacyAnyCharRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's');
}

/** True when the old reading could differ from the glob on some subject (it had wildcards or now-special characters). */
export function mayDifferFromLegacy(pattern: string): boolean {
  return /[*?[\]{}\\]/.test(pattern);
}

/**
 * The pattern respelt in the one glob with what the old `*` meant where that is what it was
 * used for: a whole-segment `*` becomes `**`, a leading `*x` becomes `**∕*x`, a trailing `x*`
 * becomes `x*∕**` (∕ is /), and brackets and braces are escaped. Undefined when the respelling
 * still reads `subject` differently from the old meaning (then no single spelling is offered).
 */
export function legacySpelling(pattern: string, subject: string): string | undefined {
  const escaped = pattern.replace(/[[\]{}\\]/g, '\\$&').replace(/\*{2,}/g, '*');
  const segs = escaped.split('/');
  const out = segs.map((s, i) => {
    if (s === '*') return '**';
    let t = s;
    if (i === 0 && t.startsWith('*')) t = `**/${t}`;
    if (i === segs.length - 1 && t.endsWith('*') && t !== '**') t = `${t}/**`;
    return t;
  });
  const spelt = out.join('/');
  try {
    return globRegExp(spelt).test(subject) === legacyAnyCharRegExp(pattern).test(subject) ? spelt : undefined;
  } catch {
    return undefined;
  }
}

/** The sentence for a pattern whose old and new meanings part on `subject`. */
export function legacyDivergence(pattern: string, subject: string, oldMatched: boolean): string {
  const spelt = legacySpelling(pattern, subject);
  const now = oldMatched ? 'no longer matches' : 'now matches';
  const fix = oldMatched
    ? spelt !== undefined && spelt !== pattern
      ? `write "${spelt}" (\`**\` spans folders) to keep matching it`
      : 'use `**` as a whole segment to span folders'
    : 'escape the `[`, `]`, `{`, `}` meant literally with `\\`';
  return `glob "${pattern}" ${now} "${subject}": \`*\` now stays within one path segment and \`[...]\`, \`{...}\` are classes and alternatives (README "Globs"); ${fix}`;
}

/** The old reading of event source paths: `*`, `?` within a segment, `**` across segments anywhere (also inside one), the rest literal. */
export function legacySegmentRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        out += '.*';
        i++;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 's');
}
