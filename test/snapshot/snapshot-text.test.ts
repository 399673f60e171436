/**
 * Issue 18 point 2: the evidence pack's snapshot.json written piece by piece (one vault at a time)
 * is byte for byte `packJson(validateSnapshot(snapshot))`, the text the pack holds today, for the
 * snapshot as the scan changed it (principals completed by the config's rules, the attested access
 * review recorded in its events), read whole or vault by vault.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPrincipalRules, type PrincipalRule } from '../../src/config/principals.js';
import { packJson } from '../../src/evidence/encoding.js';
import { openSnapshotFile, withHead, type SnapshotHead } from '../../src/snapshot/snapshot-file.js';
import { snapshotJsonPieces, snapshotSourceOf, type SnapshotTextSource } from '../../src/snapshot/snapshot-text.js';
import type { Snapshot, Vault } from '../../src/snapshot/types.js';
import { loadSnapshot, validateSnapshot } from '../../src/snapshot/validate.js';
import { PACKAGE_ROOT as ROOT } from '../../src/version.js';

const DEMO = join(ROOT, 'fixtures', 'demo', 'snapshot.json');

let work: string;
beforeAll(() => (work = mkdtempSync(join(tmpdir(), 'vp-snapshot-text-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every snapshot file among the fixtures (fixtures/ and test/). */
function snapshotFixtures(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.json') && readFileSync(path, 'utf8').includes('"vaultproof/snapshot/v1"')) found.push(path);
    }
  };
  walk(join(ROOT, 'fixtures'));
  walk(join(ROOT, 'test'));
  return found.sort();
}

/** The config's principal rules, as `vaultproof.yaml` gives them: they fill what a principal lacks. */
const RULES: PrincipalRule[] = [{ match: '**', subsystem: 'mapped-by-test', auth_methods: ['password'] }];

/** The attested review recorded as a vault's latest access review, as review/inputs.ts withAttestedReview does. */
function withReview<S extends SnapshotHead>(s: S, vault: string | undefined): S {
  if (!s.events || vault === undefined) return s;
  const review = { review_id: 'AR-TEST-\u2028-ü', completed_at: s.now - 86400, reviewers: ['ciso@example.test'], open_items: 0 };
  return { ...s, events: { ...s.events, access_reviews: { ...(s.events.access_reviews ?? {}), [vault]: review } } };
}

/** The snapshot as `evaluate --pack` holds it today (cli/commands/evaluate.ts evaluateAndReport). */
function changedWhole(s: Snapshot): Snapshot {
  return withReview(applyPrincipalRules(s, RULES), Object.keys(s.vaults).sort()[0]);
}

/** The same change to a head read vault by vault (evaluateFileAndReport). */
function changedHead(source: { head: SnapshotHead; vaultIds: readonly string[] }): SnapshotHead {
  const principals = applyPrincipalRules({ ...source.head, vaults: {} }, RULES).principals;
  return withReview({ ...source.head, principals }, source.vaultIds[0]);
}

function joined(source: SnapshotTextSource): string {
  let text = '';
  for (const piece of snapshotJsonPieces(source)) text += piece;
  return text;
}

/** Equal strings, or a failure showing where they part (not two whole snapshots). */
function expectSameText(actual: string, expected: string): void {
  if (actual === expected) return;
  let i = 0;
  while (i < actual.length && actual[i] === expected[i]) i++;
  throw new Error(`texts differ at ${i} (lengths ${actual.length} / ${expected.length}):\n actual: ${JSON.stringify(actual.slice(i - 80, i + 80))}\n expected: ${JSON.stringify(expected.slice(i - 80, i + 80))}`);
}

/**
 * The pieces, from the snapshot held whole and from the file read vault by vault (both changed as a
 * scan changes them), against the pack's text today. Returns that text.
 */
function checkFile(file: string): string {
  const whole = changedWhole(loadSnapshot(file));
  const expected = packJson(validateSnapshot(whole, file));
  expectSameText(joined(snapshotSourceOf(whole)), expected);
  const opened = openSnapshotFile(file);
  try {
    expectSameText(joined(withHead(opened, changedHead(opened))), expected);
    // Unchanged too: the file's own text, re-serialised.
    expectSameText(joined(opened), packJson(loadSnapshot(file)));
  } finally {
    opened.close();
  }
  return expected;
}

let variants = 0;
/** A snapshot file written from `text`. */
function fileOf(text: string): string {
  const file = join(work, `variant-${++variants}.json`);
  writeFileSync(file, text);
  return file;
}

/** The demo with its vault ids replaced (`"old"` tokens, keys and references alike). */
function renameVaults(text: string, rename: (id: string, i: number) => string): string {
  const ids = Object.keys((JSON.parse(text) as Snapshot).vaults);
  ids.forEach((id, i) => (text = text.split(JSON.stringify(id)).join(JSON.stringify(rename(id, i)))));
  return text;
}

/** A snapshot's text with its top-level members in the order `keys` gives (members not named keep their place after). */
function reorderTop(s: Record<string, unknown>, keys: string[]): string {
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = s[k];
  for (const [k, v] of Object.entries(s)) if (!(k in out)) out[k] = v;
  return JSON.stringify(out, null, 1);
}

const demoText = (): string => readFileSync(DEMO, 'utf8');
const demo = (): Snapshot => JSON.parse(demoText()) as Snapshot;

describe('snapshotJsonPieces equals packJson of the snapshot the pack holds', () => {
  const fixtures = snapshotFixtures();

  it('finds the fixtures (the demo among them)', () => {
    expect(fixtures).toContain(DEMO);
    expect(fixtures.length).toBeGreaterThanOrEqual(7);
  });

  it.each(fixtures.map((f) => [f.slice(ROOT.length + 1), f]))('%s, whole and vault by vault, head changed as a scan changes it', (_name, file) => {
    const expected = checkFile(file);
    expect(expected.endsWith('\n}\n')).toBe(true);
  });

  it('the head change shows in the text (principals completed, access review recorded)', () => {
    const text = checkFile(DEMO);
    expect(text).toContain('"subsystem": "mapped-by-test"');
    expect(text).toContain('"review_id": "AR-TEST-\u2028-ü"');
    expect(text).not.toBe(packJson(loadSnapshot(DEMO)));
  });

  it('the demo keeps `vaults` where it sits (after scopes) and its vaults in file order, which is not sorted', () => {
    const text = checkFile(DEMO);
    const top = [...text.matchAll(/^ {2}"([a-z_]+)": /gm)].map((m) => m[1]);
    expect(top).toEqual(Object.keys(demo()));
    expect(top.indexOf('vaults')).toBe(top.indexOf('scopes') + 1);
    const ids = Object.keys(demo().vaults);
    expect(ids).not.toEqual([...ids].sort());
  });

  it('`vaults` first, last, and between other members in the file', () => {
    const s = demo() as unknown as Record<string, unknown>;
    checkFile(fileOf(reorderTop(s, ['vaults'])));
    checkFile(fileOf(reorderTop(s, Object.keys(s).filter((k) => k !== 'vaults').concat('vaults'))));
    checkFile(fileOf(reorderTop(s, ['schema', 'principals', 'vaults', 'now'])));
  });

  it('integer-like vault ids come first in ascending numeric order, the others in file order', () => {
    // The demo's 9 vaults renamed, in this file order.
    const names = ['b-vault', '12', 'a-vault', '0', '4294967295', '4294967294', '007', '1.5', '__proto__'];
    const file = fileOf(renameVaults(demoText(), (_id, i) => names[i]!));
    const expected = checkFile(file);
    const vaultsText = expected.slice(expected.indexOf('\n  "vaults": {'), expected.indexOf('\n  },', expected.indexOf('\n  "vaults": {')));
    const order = [...vaultsText.matchAll(/^ {4}"([^"]+)": \{$/gm)].map((m) => m[1]);
    expect(order).toEqual(['0', '12', '4294967294', 'b-vault', 'a-vault', '4294967295', '007', '1.5', '__proto__']);
  });

  it('unicode, U+2028/U+2029, quotes and backslashes in vault and object names', () => {
    const names = ['köln-ü-\u2028', 'line\u2029sep', 'emoji-\u{1F512}', 'quote"back\\slash', '\u0000-nul', 'tab\there', 'Ω', 'z', 'a'];
    let text = renameVaults(demoText(), (_id, i) => names[i] ?? `v${i}`);
    const first = Object.values((JSON.parse(text) as Snapshot).vaults)[0]!;
    const objectId = Object.keys(first.objects)[0]!;
    text = text.split(JSON.stringify(objectId)).join(JSON.stringify(`${objectId}/\u2028ünïcode-\u{1F511}`));
    checkFile(fileOf(text));
    expect(joined(snapshotSourceOf(loadSnapshot(fileOf(text))))).toContain('\u2028'); // written raw, as JSON.stringify writes it
  });

  it('no vaults at all (`"vaults": {}`), and a vault with no objects, tags or events', () => {
    const empty = { ...demo(), vaults: {}, grants: {}, replication: {} };
    const expected = checkFile(fileOf(JSON.stringify(empty)));
    expect(expected).toContain('\n  "vaults": {},\n');
    const s = demo();
    const [id, vault] = Object.entries(s.vaults)[0]!;
    s.vaults[id] = { ...vault, tags: {}, objects: {} } as Vault;
    expect(checkFile(fileOf(JSON.stringify(s)))).toContain('"objects": {}');
  });

  it('a head that gained `events` after the file was read puts them after `vaults`, as the whole snapshot would', () => {
    const { events, ...noEvents } = demo();
    const file = fileOf(JSON.stringify(noEvents, null, 2));
    const whole = { ...loadSnapshot(file), events };
    const expected = packJson(validateSnapshot(whole, file));
    expectSameText(joined(snapshotSourceOf(whole)), expected);
    const opened = openSnapshotFile(file);
    try {
      expectSameText(joined(withHead(opened, { ...opened.head, events })), expected);
    } finally {
      opened.close();
    }
    expect(expected.indexOf('\n  "events": ')).toBeGreaterThan(expected.indexOf('\n  "vaults": '));
  });

  it('any JSON value in a head: empty and nested arrays and objects, integer-like keys, members JSON.stringify leaves out or writes as null', () => {
    const odd = {
      schema: 'vaultproof/snapshot/v1',
      empty_object: {},
      empty_array: [],
      skipped: undefined,
      fn: () => 1,
      nested: { '10': [1, [2, [3, {}]], { deep: { deeper: [[], {}] } }], '2': null, b: { '1': 'x', a: [undefined, () => 0, Symbol('s'), 'y'] }, '': '' },
      numbers: [0, -0, 1e21, 1.5e-7, -12.25, Number.MAX_SAFE_INTEGER],
      strings: ['\u2028\u2029', '\ud800 lone', '"\\/\b\f\n\r\t\u0001', '€'],
      when: new Date(0),
      vaults: {
        '7': { id: '7' },
        x: { id: 'x', objects: {}, list: [] },
        '1': { id: '1', odd: { '3': 3, z: undefined } },
      },
      tail: { last: true },
    } as unknown as Snapshot;
    expectSameText(joined(snapshotSourceOf(odd)), packJson(odd));
  });
});

describe('snapshotJsonPieces holds one vault at a time', () => {
  /** The demo's vaults and 19 clones of each (~6 MB of text). */
  function bigFleet(): string {
    const s = demo();
    const vaults: Record<string, Vault> = { ...s.vaults };
    for (let n = 1; n < 20; n++) for (const [id, v] of Object.entries(s.vaults)) vaults[`${id}~${n}`] = { ...v, id: `${id}~${n}` };
    return fileOf(JSON.stringify({ ...s, vaults }));
  }

  it('reads each vault once, in text order, and hands out pieces before reading the last', () => {
    const file = bigFleet();
    const opened = openSnapshotFile(file);
    try {
      const read: string[] = [];
      const counted: SnapshotTextSource = { ...withHead(opened, opened.head), readVault: (id) => (read.push(id), opened.readVault(id)) };
      let text = '';
      let readAtFirstPiece = -1;
      let pieces = 0;
      for (const piece of snapshotJsonPieces(counted)) {
        if (pieces++ === 0) readAtFirstPiece = read.length;
        text += piece;
      }
      expect(read).toEqual(opened.vaultIdsInFileOrder);
      expect(pieces).toBeGreaterThan(3);
      expect(readAtFirstPiece).toBeLessThan(read.length / 2);
      expectSameText(text, packJson(loadSnapshot(file)));
    } finally {
      opened.close();
    }
  });
});

describe('the snapshot file keeps what the text needs', () => {
  it('vault ids in file order, and the members before `vaults`; withHead keeps both', () => {
    const opened = openSnapshotFile(DEMO);
    try {
      expect(opened.vaultIdsInFileOrder).toEqual(Object.keys(demo().vaults));
      expect(opened.vaultIds).toEqual([...opened.vaultIdsInFileOrder].sort());
      const keys = Object.keys(demo());
      expect(opened.membersBeforeVaults).toEqual(keys.slice(0, keys.indexOf('vaults')));
      expect('vaults' in opened.head).toBe(false);
      const changed = withHead(opened, { ...opened.head });
      expect(changed.vaultIdsInFileOrder).toBe(opened.vaultIdsInFileOrder);
      expect(changed.membersBeforeVaults).toBe(opened.membersBeforeVaults);
    } finally {
      opened.close();
    }
  });

  it('validateSnapshot and validateVault return what was parsed (no defaults added, same key order)', () => {
    const parsed = JSON.parse(demoText()) as Snapshot;
    const before = JSON.stringify(parsed);
    expect(validateSnapshot(parsed, 'demo')).toBe(parsed);
    expect(JSON.stringify(parsed)).toBe(before);
    const opened = openSnapshotFile(DEMO);
    try {
      for (const id of opened.vaultIds) expect(JSON.stringify(opened.readVault(id))).toBe(JSON.stringify(parsed.vaults[id]));
      const { vaults: _vaults, ...head } = parsed;
      expect(JSON.stringify(opened.head)).toBe(JSON.stringify(head));
    } finally {
      opened.close();
    }
  });
});
