/** Reads a JSON file with errors that name the file and, for syntax errors, the line and column. */
import { readFileSync } from 'node:fs';
import { InputError } from './input-error.js';

export function readTextFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(file, '', 'file not found');
    if (code === 'EISDIR') throw new InputError(file, '', 'expected a file, found a directory');
    if (code === 'EACCES') throw new InputError(file, '', 'permission denied');
    throw new InputError(file, '', `cannot be read (${code ?? (e as Error).message})`);
  }
}

export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    if (pos) {
      const offset = Number(pos[1]);
      const before = text.slice(0, offset);
      const line = before.split('\n').length;
      const column = offset - before.lastIndexOf('\n');
      throw new InputError(file, '', `invalid JSON at line ${line}, column ${column}: ${msg.replace(/ in JSON at position \d+.*$/, '')}`);
    }
    throw new InputError(file, '', `invalid JSON: ${msg}`);
  }
}

export function readJsonFile(file: string): unknown {
  return parseJsonText(readTextFile(file), file);
}
