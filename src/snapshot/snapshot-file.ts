/**
 * A snapshot file read vault by vault: the file is indexed once (snapshot/json-index.ts, a byte-level
 * scan in chunks), everything but the vaults' contents is parsed and validated up front, and each
 * vault is read, parsed and validated when asked for. Neither the file nor the parsed fleet is ever
 * held whole: a 1M-object snapshot (~850 MiB) is past V8's string limit for a whole-file read, and
 * its parsed vaults would not fit the 2 GB memory budget of a scan.
 *
 * Errors are the whole-file reader's (src/snapshot/validate.ts): the same schema and invariants,
 * with paths into the file (`$.vaults["kv-1"].config.purge_protection`).
 */
import { closeSync, openSync, statSync } from 'node:fs';
import { InputError } from '../util/input-error.js';
import { inputName } from '../util/read-json.js';
import { findMember, indexJsonFile, readJsonRange, type JsonMember } from './json-index.js';
import type { Snapshot, Vault } from './types.js';
import { loadSnapshot, validateSnapshotHead, validateVault } from './validate.js';

export type SnapshotHead = Omit<Snapshot, 'vaults'>;

export interface SnapshotFile {
  readonly file: string;
  /** The snapshot without its vaults, validated. */
  readonly head: SnapshotHead;
  /** Every vault id, sorted (the order the engine evaluates them in). */
  readonly vaultIds: readonly string[];
  /**
   * Every vault id in the order the file lists them (for a snapshot read whole from a stream: the
   * order JSON.parse gave them, which serialises the same). snapshot/snapshot-text.ts writes the
   * snapshot back as JSON.stringify would write it parsed.
   */
  readonly vaultIdsInFileOrder: readonly string[];
  /** The top-level members before `vaults` in the file: where `vaults` sat, which `head` no longer says. */
  readonly membersBeforeVaults: readonly string[];
  /** One vault, parsed and validated (schema, keys equal ids, current versions exist). */
  readVault(id: string): Vault;
  close(): void;
}

/** Opens a snapshot file for reading vault by vault. Bad input is an InputError naming the file and the path. */
export function openSnapshotFile(file: string): SnapshotFile {
  if (!isRegularFile(file)) return inMemory(file);
  const index = indexJsonFile(file, { expand: ['vaults'] });
  const fd = openSync(file, 'r');
  try {
    const source = { fd, file };
    const vaultsMember = findMember(index.members, 'vaults');
    const vaultMembers = new Map<string, JsonMember>((vaultsMember?.members ?? []).map((m) => [m.key, m]));
    // The head: every top-level member in file order; `vaults` stands in as {} when it is an
    // object (its vaults are checked as they are read), as itself otherwise (so the schema names it).
    const head: Record<string, unknown> = {};
    for (const m of index.members) {
      // Defined, not assigned: a member named `__proto__` stays a member (the schema refuses it, as it
      // does in a snapshot read whole) instead of setting the head's prototype.
      Object.defineProperty(head, m.key, { value: m.key === 'vaults' && m.members ? {} : readJsonRange(source, m), enumerable: true, writable: true, configurable: true });
    }
    const validated = validateSnapshotHead(head, new Set(vaultMembers.keys()), file);
    delete (validated as Partial<Snapshot>).vaults;
    const vaultIdsInFileOrder = [...vaultMembers.keys()];
    const vaultIds = [...vaultIdsInFileOrder].sort();
    const membersBeforeVaults = membersBefore(index.members.map((m) => m.key), 'vaults');
    let closed = false;
    return {
      file,
      head: validated,
      vaultIds,
      vaultIdsInFileOrder,
      membersBeforeVaults,
      readVault(id: string): Vault {
        if (closed) throw new Error(`${file}: snapshot file already closed`);
        const m = vaultMembers.get(id);
        if (!m) throw new InputError(file, '$.vaults', `has no vault "${id}"`);
        return validateVault(readJsonRange(source, m), id, file);
      },
      close(): void {
        if (!closed) closeSync(fd);
        closed = true;
      },
    };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/** The same file with another head (e.g. principals completed from the config); vaults still read from `file`. */
export function withHead(file: SnapshotFile, head: SnapshotHead): SnapshotFile {
  return {
    file: file.file,
    head,
    vaultIds: file.vaultIds,
    vaultIdsInFileOrder: file.vaultIdsInFileOrder,
    membersBeforeVaults: file.membersBeforeVaults,
    readVault: (id) => file.readVault(id),
    close: () => file.close(),
  };
}

/** The keys before `key` in `keys` (all of them if it is not there). */
function membersBefore(keys: readonly string[], key: string): string[] {
  const at = keys.indexOf(key);
  return at < 0 ? [...keys] : keys.slice(0, at);
}

function isRegularFile(file: string): boolean {
  if (file === '-') return false;
  try {
    return statSync(file).isFile();
  } catch {
    return true; // the indexer reports the problem with the file
  }
}

/**
 * `-` (standard input), a pipe, a FIFO or a device cannot be read by byte range: it is read whole,
 * with the whole-file reader's size bound and timeout, and served from memory.
 */
function inMemory(file: string): SnapshotFile {
  return snapshotFileOf(loadSnapshot(file), inputName(file));
}

/**
 * A snapshot held whole, read through the same interface (its vaults served from memory; `file`
 * names it in errors). Its vault ids in "file order" are the order the object holds them, which
 * JSON.stringify writes the same way.
 */
export function snapshotFileOf(snapshot: Snapshot, file: string): SnapshotFile {
  const { vaults, ...head } = snapshot;
  const vaultIdsInFileOrder = Object.keys(vaults);
  return {
    file,
    head,
    vaultIds: [...vaultIdsInFileOrder].sort(),
    vaultIdsInFileOrder,
    membersBeforeVaults: membersBefore(Object.keys(snapshot), 'vaults'),
    readVault(id: string): Vault {
      const v = Object.prototype.hasOwnProperty.call(vaults, id) ? vaults[id] : undefined;
      if (!v) throw new InputError(file, '$.vaults', `has no vault "${id}"`);
      return v;
    },
    close(): void {},
  };
}
