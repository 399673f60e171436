/**
 * A snapshot's JSON text (`JSON.stringify(snapshot, null, 2) + '\n'`, the evidence pack's form:
 * src/evidence/encoding.ts packJson) written piece by piece from a snapshot read vault by vault: a
 * 1M-object snapshot's text (~1 GB) is past V8's string limit, and its parsed vaults would not fit
 * the memory budget. At most one vault is held at a time.
 *
 * The pieces join to exactly the text JSON.stringify gives for the snapshot as a whole-file read
 * holds it, so they follow JSON.stringify's order:
 * - the head's members in its own key order, with `vaults` where the file had it (the head read
 *   vault by vault has lost it: `membersBeforeVaults` says where it sat; a member the head gained
 *   since, e.g. `events` attached to a snapshot that had none, comes after it, as it would have been
 *   added after it to the whole snapshot);
 * - the vaults in the order JSON.parse gives them: file order, except that integer-like ids ("0",
 *   "12": array indices) come first, in ascending numeric order (the order of a JavaScript object's keys).
 * Each vault, and each head value from depth 3 down, is `JSON.stringify(value, null, 2)` indented to
 * its depth: JSON.stringify's output has a newline only between tokens (a newline inside a string is
 * escaped), so re-indenting the text after every newline gives the text of the same value written
 * deeper. Above depth 3 the head is written member by member as JSON.stringify would (undefined,
 * functions and symbols left out of objects, written as null in arrays; `{}` and `[]` when empty).
 */
import { snapshotFileOf, type SnapshotFile } from './snapshot-file.js';
import type { Snapshot } from './types.js';

/** What the text is written from: a snapshot file read vault by vault (or `withHead` of one), or `snapshotSourceOf` a snapshot held whole. */
export type SnapshotTextSource = Pick<SnapshotFile, 'head' | 'vaultIdsInFileOrder' | 'membersBeforeVaults' | 'readVault'>;

/** A snapshot held whole as a source of its text (its vaults served from memory). */
export function snapshotSourceOf(snapshot: Snapshot): SnapshotTextSource {
  return snapshotFileOf(snapshot, 'snapshot');
}

/**
 * Head members are written member by member down to this depth (`events.rotations.<object>` whole):
 * a 1M-object fleet's events are ~80 MB of JSON, not one string. A vault is written whole.
 */
const SPLIT_DEPTH = 3;

/** Pieces are joined up to about this many characters before they are handed out (fewer, larger writes). */
const PIECE_CHARS = 1 << 20;

/** The text of `JSON.stringify(snapshot, null, 2) + '\n'`, in pieces of about 1 MiB (one vault can make a piece longer). */
export function* snapshotJsonPieces(source: SnapshotTextSource): Generator<string> {
  let pending = '';
  for (const piece of snapshotPieces(source)) {
    pending += piece;
    if (pending.length >= PIECE_CHARS) {
      yield pending;
      pending = '';
    }
  }
  if (pending) yield pending;
}

function* snapshotPieces(source: SnapshotTextSource): Generator<string> {
  const head = source.head as Record<string, unknown>;
  const before = new Set(source.membersBeforeVaults);
  const members = Object.keys(head).filter((key) => key !== 'vaults' && written(head[key]));
  const vaultsAt = members.findIndex((key) => !before.has(key));
  let first = true;
  const opening = (key: string): string => {
    const piece = `${first ? '{\n' : ',\n'}  ${JSON.stringify(key)}: `;
    first = false;
    return piece;
  };
  for (const [i, key] of members.entries()) {
    if (i === vaultsAt) yield* vaultsPieces(source, opening('vaults'));
    yield opening(key);
    yield* valuePieces(head[key], '  ', 1);
  }
  if (vaultsAt < 0) yield* vaultsPieces(source, opening('vaults'));
  yield '\n}\n';
}

/** The value of `"vaults": `, one vault at a time (each read when its turn comes, then dropped). */
function* vaultsPieces(source: SnapshotTextSource, opening: string): Generator<string> {
  yield opening;
  const ids = objectKeyOrder(source.vaultIdsInFileOrder);
  if (ids.length === 0) {
    yield '{}';
    return;
  }
  for (const [i, id] of ids.entries()) {
    yield `${i === 0 ? '{\n' : ',\n'}    ${JSON.stringify(id)}: ${indented(JSON.stringify(source.readVault(id), null, 2), '    ')}`;
  }
  yield '\n  }';
}

/**
 * `JSON.stringify(value, null, 2)` for a value at `depth` whose lines are indented by `indent`, as
 * pieces: objects and arrays above SPLIT_DEPTH member by member, anything else (and anything with a
 * toJSON, which JSON.stringify would call) whole.
 */
function* valuePieces(value: unknown, indent: string, depth: number): Generator<string> {
  if (depth >= SPLIT_DEPTH || typeof value !== 'object' || value === null || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    yield indented(JSON.stringify(value, null, 2), indent);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    for (const [i, item] of value.entries()) {
      yield `${i === 0 ? '[\n' : ',\n'}${inner}`;
      // JSON.stringify writes an element it cannot write as null.
      if (written(item)) yield* valuePieces(item, inner, depth + 1);
      else yield 'null';
    }
    yield `\n${indent}]`;
    return;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).filter((key) => written(object[key]));
  if (keys.length === 0) {
    yield '{}';
    return;
  }
  for (const [i, key] of keys.entries()) {
    yield `${i === 0 ? '{\n' : ',\n'}${inner}${JSON.stringify(key)}: `;
    yield* valuePieces(object[key], inner, depth + 1);
  }
  yield `\n${indent}}`;
}

/** Whether JSON.stringify writes a member with this value (it skips undefined, functions and symbols). */
function written(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

/** `text` (JSON.stringify output) written `indent` deeper: every line after the first indented. */
function indented(text: string, indent: string): string {
  return text.replaceAll('\n', `\n${indent}`);
}

/**
 * `keys` in the order an object given them in this order holds them (integer-like keys first,
 * ascending, then the others in insertion order): asked of an object, not recomputed. A
 * prototype-less object, so that `__proto__` is a key like any other, as JSON.parse makes it.
 */
function objectKeyOrder(keys: readonly string[]): string[] {
  const o: Record<string, true> = Object.create(null) as Record<string, true>;
  for (const key of keys) o[key] = true;
  return Object.keys(o);
}
