/**
 * Issue 21: raw control characters (ESC, BEL, NUL) and bidi overrides (U+202E) in a vault's name
 * passed into CEF, the table, summary.md and index.html. Every text format replaces them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_SNAPSHOT, run } from '../../src/cli/main.js';
import { replaceUnsafe } from '../../src/renderers/text-safety.js';
import { fakeConsole } from '../support/fake-console.js';
import { requireBuiltBundle } from '../support/prerequisites.js';

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000\u0007\u001b\u202e]/;
const HOSTILE = 'kv-\u001b[31mred\u0007\u0000-\u202Etxt.exe';

let work: string;
let snapshot: string;
beforeAll(() => {
  requireBuiltBundle();
  work = mkdtempSync(join(tmpdir(), 'vp-hostile-text-'));
  const s = JSON.parse(readFileSync(DEMO_SNAPSHOT, 'utf8')) as { vaults: Record<string, { name: string }> };
  for (const v of Object.values(s.vaults)) v.name = HOSTILE;
  snapshot = join(work, 'snapshot.json');
  writeFileSync(snapshot, JSON.stringify(s));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function output(...args: string[]): Promise<string> {
  const io = fakeConsole();
  const code = await run(args, io);
  expect([0, 1, 3]).toContain(code);
  return io.stdout;
}

describe('control characters and bidi overrides never reach a text format (issue 21)', () => {
  it('the name really is in the input (the test can fail)', () => {
    expect(readFileSync(snapshot, 'utf8')).toContain('\\u001b');
  });

  it.each(['cef', 'table'])('%s', async (format) => {
    const out = await output('evaluate', '-f', format, snapshot);
    expect(out).toContain('red');
    expect(out).not.toMatch(UNSAFE);
  });

  it('summary.md and index.html of an evidence pack', async () => {
    const pack = join(work, 'pack');
    expect(await run(['keygen', join(work, 'keys')], fakeConsole())).toBe(0);
    await output('scan', '--snapshot', snapshot, '-f', 'json', '--evidence-pack', pack, '--sign', `ed25519:${join(work, 'keys', 'evidence-signing.key')}`);
    for (const f of ['summary.md', 'index.html']) {
      const text = readFileSync(join(pack, f), 'utf8');
      expect(text).toContain('red');
      expect(text).not.toMatch(UNSAFE);
    }
  });

  it('replaceUnsafe keeps tabs and line breaks for the formats to handle', () => {
    expect(replaceUnsafe('a\tb\nc\u202ed\u0000', '?')).toBe('a\tb\nc?d?');
  });
});
