/**
 * Bad input (config, snapshot, waiver file, audit log): names the file, the path inside it and what was
 * expected. Always one line: control characters, line breaks and bidi controls in any part (a hostile
 * file name or member name) are shown as \uXXXX escapes.
 */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

export class InputError extends Error {
  constructor(
    readonly file: string,
    /** JSON path inside the file ("$" for the whole document), or "" when the file itself is the problem. */
    readonly path: string,
    readonly detail: string,
  ) {
    super(oneLine(path ? `${file}: ${path}: ${detail}` : `${file}: ${detail}`));
    this.name = 'InputError';
  }
}
