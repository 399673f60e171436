/** Bad input (config, snapshot, waiver file, audit log): names the file, the path inside it and what was expected. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    /** JSON path inside the file ("$" for the whole document), or "" when the file itself is the problem. */
    readonly path: string,
    readonly detail: string,
  ) {
    super(path ? `${file}: ${path}: ${detail}` : `${file}: ${detail}`);
    this.name = 'InputError';
  }
}
