/** Byte-level helpers shared by the evidence modules: sha256, strict base64 and the pack's JSON form. */
import { createHash } from 'node:crypto';

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Decodes standard or URL-safe base64 (DSSE verifiers must accept either), rejecting any other
 * character instead of skipping it the way `Buffer.from(s, 'base64')` does.
 */
export function decodeBase64Strict(text: string, what: string): Buffer {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text) || text.replace(/=+$/, '').length % 4 === 1) {
    throw new Error(`${what} is not valid base64`);
  }
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/**
 * The one JSON form of every JSON file in a pack: two-space indentation and a final newline. Objects are
 * built with a fixed key order by their producers, so the same input always gives the same bytes.
 */
export function packJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
