/**
 * Path globs with "/" as the separator, as Rego's glob.match(pattern, ["/"], path) reads them:
 * `*` and `?` stay within a segment, `**` crosses segments. Used for break-glass paths and file globs.
 */
export function globToRegExp(pattern: string): RegExp {
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

export function hasGlob(path: string): boolean {
  return /[*?]/.test(path);
}
