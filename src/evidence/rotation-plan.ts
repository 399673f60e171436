/**
 * The rotation proof of a snapshot read vault by vault (issue 18.2): a fleet's credentials (a million
 * rows at 1M objects) are never held at once. One pass over the vaults gathers what the page's head
 * needs (counts, the age chart's scale and rows, the first overdue rows for summary.md, the vaults'
 * names and their grouping by name); the table's rows and the chart's dots are then read again in the
 * table's order, the vaults of one name at a time (rotation.ts sortedRotationRows).
 */
import { AgeTally, ageChartFrame, isAgeDot, type ChartDot } from './charts.js';
import { compareRotationRows, sortedRotationRows, vaultRotationRows, type RotationRow, type RowJoins, type VaultNameGroup, type VaultReader } from './rotation.js';

/** The snapshot as the rotation proof reads it: its time, its vault ids and one vault at a time. */
export interface RotationSource extends VaultReader {
  readonly head: { readonly now: number };
  readonly vaultIds: readonly string[];
  /** The vault ids in the order the file lists them (snapshot-file.ts); absent: `vaultIds` is that order. */
  readonly vaultIdsInFileOrder?: readonly string[];
}

/**
 * The vaults in the order the whole-snapshot rendering sees them, `Object.values` of the parsed
 * `vaults`: the file's order, except that integer-like ids come first in ascending order (as
 * JSON.parse builds the object). Among rows equal in vault name, path and name, this order decides.
 */
export function snapshotOrder(source: RotationSource): string[] {
  const inFile = source.vaultIdsInFileOrder ?? source.vaultIds;
  const asParsed = Object.create(null) as Record<string, true>;
  for (const id of inFile) asParsed[id] = true;
  return Object.keys(asParsed);
}

export interface RotationPlan {
  now: number;
  joins: RowJoins;
  /** The vault ids by vault name, names in the table's order, ids in the snapshot's. */
  groups: VaultNameGroup[];
  /** Each vault's name, by id. */
  names: Map<string, string>;
  /** Credentials (table rows). */
  total: number;
  /** Past their interval (failing, or waived). */
  overdue: number;
  /** Past their interval under a waiver. */
  waived: number;
  /** The first overdue rows in the table's order (at most `keepOverdue` of them). */
  firstOverdue: RotationRow[];
  age: AgeTally;
  /** The age chart's credential types each vault has a dot of (a pass for one type reads only those vaults). */
  dotTypes: Map<string, Set<string>>;
}

/** One pass over every vault of `source`, in its order. */
export function planRotation(source: RotationSource, joins: RowJoins, keepOverdue: number): RotationPlan {
  const names = new Map<string, string>();
  const byName = new Map<string, string[]>();
  const dotTypes = new Map<string, Set<string>>();
  const age = new AgeTally();
  const first = new FirstRows(keepOverdue);
  let total = 0;
  let overdue = 0;
  let waived = 0;
  for (const id of snapshotOrder(source)) {
    const vault = source.readVault(id);
    names.set(id, vault.name);
    const ids = byName.get(vault.name);
    if (ids) ids.push(id);
    else byName.set(vault.name, [id]);
    const types = new Set<string>();
    for (const r of vaultRotationRows(vault, source.head.now, joins)) {
      total++;
      if (r.overdue) {
        overdue++;
        if (r.status === 'waived') waived++;
        first.add(r);
      }
      age.add(r);
      if (isAgeDot(r)) types.add(r.credentialType);
    }
    dotTypes.set(id, types);
  }
  const groups = [...byName].map(([name, vaultIds]) => ({ name, vaultIds })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { now: source.head.now, joins, groups, names, total, overdue, waived, firstOverdue: first.rows(), age, dotTypes };
}

/** Every rotation row in the table's order (one name's vaults held at a time). */
export function planRotationRows(plan: RotationPlan, reader: VaultReader): Iterable<RotationRow> {
  return sortedRotationRows(reader, plan.groups, plan.now, plan.joins);
}

/** The age chart's dots in its order: type by type (one pass over the vaults that have it), each in the table's order. */
export function* planAgeDots(plan: RotationPlan, reader: VaultReader): Generator<ChartDot> {
  const { dot } = ageChartFrame(plan.age);
  const types = plan.age.types();
  for (const [i, type] of types.entries()) {
    let j = 0;
    const has = (id: string) => plan.dotTypes.get(id)?.has(type) ?? false;
    for (const r of sortedRotationRows(reader, plan.groups, plan.now, plan.joins, has)) if (isAgeDot(r) && r.credentialType === type) yield dot(r, i, j++);
  }
}

/** The first `n` rows in the table's order among rows added in the snapshot's order (ties: the earlier added), holding at most 2n. */
class FirstRows {
  private items: Array<{ r: RotationRow; seq: number }> = [];
  private seq = 0;
  constructor(private readonly n: number) {}

  add(r: RotationRow): void {
    this.items.push({ r, seq: this.seq++ });
    if (this.items.length >= 2 * this.n + 1) this.trim();
  }

  rows(): RotationRow[] {
    this.trim();
    return this.items.map((x) => x.r);
  }

  private trim(): void {
    this.items.sort((a, b) => compareRotationRows(a.r, b.r) || a.seq - b.seq);
    this.items.length = Math.min(this.items.length, this.n);
  }
}
