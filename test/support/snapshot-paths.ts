/**
 * Every JSON path of a snapshot, grouped by shape (`vaults.*.objects.*.versions.*.expires`: map keys
 * as `*`, array indices as `[]`), and the two "less evidence" mutations of one path: delete it, or
 * set it to null. Mutations copy only the containers along the path (the snapshot is shared).
 */
export type Segment = string | number;
export type MutationKind = 'delete' | 'null';

/** Object-valued fields of the snapshot schema whose keys are ids (schemas/snapshot-v1.schema.json; `sources`, `reports`, `findings`: secret_scans). */
const MAP_FIELDS = new Set(['vaults', 'principals', 'grants', 'replication', 'objects', 'deleted_objects', 'versions', 'mounts', 'policies', 'auth_roles', 'pki', 'access_reviews', 'escalations', 'denied', 'tags', 'options', 'category_retention_days', 'pki_roles', 'auth_mounts', 'audited_request_headers', 'sources', 'reports', 'findings', 'consumers', 'hsm_failovers', 'hsm_attestations', 'packaging_pauses', 'compromises', 'notifications', 'outage_drills']);
/** Event sections keyed by object id whose values are maps again (record id -> record). */
const NESTED_EVENT_MAPS = new Set(['rotations', 'break_glass', 'rotation_runs']);

function isMap(shape: readonly string[]): boolean {
  const last = shape[shape.length - 1];
  if (last === undefined) return false;
  if (MAP_FIELDS.has(last)) return true;
  // pki_roles: mount path -> (role name -> role): a mount's roles are a map again.
  if (last === '*' && shape[shape.length - 2] === 'pki_roles') return true;
  if (shape[0] === 'events' && shape.length === 2 && (last === 'audit' || NESTED_EVENT_MAPS.has(last))) return true;
  // The process records (events.process.*): each section is a map of records (break_glass: `<object>|<use>` -> use).
  if (shape[0] === 'events' && shape[1] === 'process' && shape.length === 3) return true;
  return shape[0] === 'events' && shape.length === 3 && NESTED_EVENT_MAPS.has(shape[1] as string);
}

/** Path shape -> every concrete path of that shape, in document order. */
export function pathsByShape(root: unknown): Map<string, Segment[][]> {
  const out = new Map<string, Segment[][]>();
  const walk = (value: unknown, path: Segment[], shape: string[]) => {
    if (value === null || typeof value !== 'object') return;
    const array = Array.isArray(value);
    const map = !array && isMap(shape);
    for (const [k, child] of Object.entries(value)) {
      const seg = array ? Number(k) : k;
      const childShape = [...shape, array ? '[]' : map ? '*' : k];
      const childPath = [...path, seg];
      const key = childShape.join('.');
      const list = out.get(key) ?? [];
      list.push(childPath);
      out.set(key, list);
      walk(child, childPath, childShape);
    }
  };
  walk(root, [], []);
  return out;
}

/** The value at `path`, or undefined when the path does not (or no longer) exist. */
export function valueAt(root: unknown, path: readonly Segment[]): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/** A copy of `root` with the value at `path` deleted (an array element removed) or set to null. */
export function mutate<T>(root: T, path: readonly Segment[], kind: MutationKind): T {
  const copy = (v: unknown): Record<string | number, unknown> => (Array.isArray(v) ? [...v] : { ...(v as object) }) as Record<string | number, unknown>;
  const top = copy(root);
  let node = top;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i] as Segment;
    const child = copy(node[seg]);
    node[seg] = child;
    node = child;
  }
  const last = path[path.length - 1] as Segment;
  if (kind === 'null') node[last] = null;
  else if (Array.isArray(node)) node.splice(last as number, 1);
  else delete node[last];
  return top as T;
}

/** `$.vaults["hashicorp-vault:vault-weu"].objects[...].expires`, for messages. */
export function describePath(path: readonly Segment[]): string {
  return '$' + path.map((s) => (typeof s === 'number' ? `[${s}]` : /^[a-z_][a-z0-9_]*$/i.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`)).join('');
}

/**
 * What taking away the value at `path` means. A field of a record (deleted, or set to null) or a
 * collection set to null: evidence that was read is now missing, so nothing may turn greener. A
 * member deleted from a collection (a grant, a mount, a break-glass use): the estate holds one
 * thing less, which may rightly be greener; only the other resources' findings must stay. A scalar
 * deleted from a list of values (a capability, a category) changes a fact rather than removing
 * evidence, so it is not one of the property's mutations.
 */
export type MutationMeaning = 'evidence-missing' | 'member-removed' | 'value-changed';

/**
 * Fields whose null (or absence) the snapshot defines as a fact rather than as unknown, with the
 * mutations that only state that fact: an object or version without an expiry or not-before date
 * has none set in the vault (VP-AZ-002 judges a missing expiry); a HashiCorp version whose
 * `deleted_at` is null is not deleted (without the field, whether it is is unknown). Such a
 * mutation changes the estate; it does not take evidence away.
 */
const NULL_IS_A_FACT = new Map<string, readonly MutationKind[]>([
  ['vaults.*.objects.*.expires', ['delete', 'null']],
  ['vaults.*.objects.*.not_before', ['delete', 'null']],
  ['vaults.*.objects.*.versions.*.expires', ['delete', 'null']],
  ['vaults.*.objects.*.versions.*.not_before', ['delete', 'null']],
  ['vaults.*.objects.*.versions.*.deleted_at', ['null']],
]);


export function meaningOf(root: unknown, path: readonly Segment[], kind: MutationKind): MutationMeaning {
  if (NULL_IS_A_FACT.get(shapeOf(root, path).join('.'))?.includes(kind)) return 'value-changed';
  const parent = valueAt(root, path.slice(0, -1));
  const value = valueAt(root, path);
  const member = Array.isArray(parent) || isMap(shapeOf(root, path.slice(0, -1)));
  if (!member || kind === 'null') return 'evidence-missing';
  return value !== null && typeof value === 'object' ? 'member-removed' : 'value-changed';
}

/** The shape of a concrete path (`vaults.*.objects.*.kind`). */
export function shapeOf(root: unknown, path: readonly Segment[]): string[] {
  const shape: string[] = [];
  let v = root;
  for (const seg of path) {
    shape.push(Array.isArray(v) ? '[]' : isMap(shape) ? '*' : String(seg));
    v = (v as Record<string | number, unknown>)[seg];
  }
  return shape;
}
