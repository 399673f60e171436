import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/util/atomic-write.js';
import { PACKAGE_ROOT } from '../../src/version.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vp-atomic-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('writes the whole content (a string, bytes or pieces), replaces the old file and leaves no temp file', async () => {
    const file = join(dir, 'out.json');
    writeFileSync(file, 'old');
    await writeFileAtomic(file, 'new content', { tmp: join(dir, '.out.json.tmp-1'), mode: 0o600 });
    expect(readFileSync(file, 'utf8')).toBe('new content');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await writeFileAtomic(file, ['a', Buffer.from('b'), 'c'], { tmp: join(dir, '.out.json.tmp-2') });
    expect(readFileSync(file, 'utf8')).toBe('abc');
    await writeFileAtomic(file, new Uint8Array([0x7b, 0x7d]), { tmp: join(dir, '.out.json.tmp-3') });
    expect(readFileSync(file, 'utf8')).toBe('{}');
    expect(readdirSync(dir)).toEqual(['out.json']);
  });

  it('a failure while writing leaves the old file as it was and removes the temp file', async () => {
    const file = join(dir, 'out.json');
    writeFileSync(file, 'old and complete');
    function* failing() {
      yield 'half of the new ';
      throw new Error('the content could not be produced');
    }
    await expect(writeFileAtomic(file, failing(), { tmp: join(dir, '.out.json.tmp-1') })).rejects.toThrow('could not be produced');
    expect(readFileSync(file, 'utf8')).toBe('old and complete');
    expect(readdirSync(dir)).toEqual(['out.json']);
  });

  it('a target it cannot write (its directory is missing) fails with the error and leaves nothing behind', async () => {
    await expect(writeFileAtomic(join(dir, 'no', 'such', 'out.json'), 'x', { tmp: join(dir, 'no', 'such', '.tmp') })).rejects.toMatchObject({ code: 'ENOENT' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a process killed in the middle of a write leaves the old file whole (at most the temp file beside it)', async () => {
    const file = join(dir, 'out.json');
    const old = JSON.stringify({ old: true });
    writeFileSync(file, old);
    // The child writes 64 MiB in pieces (slowly once it has said so), and is killed with SIGKILL meanwhile.
    const script = `
      import { writeFileAtomic } from './src/util/atomic-write.ts';
      const piece = 'x'.repeat(1 << 20);
      function* pieces() { for (let i = 0; i < 64; i++) { if (i === 2) process.stdout.write('writing\\n'); if (i >= 2) { const t = Date.now(); while (Date.now() - t < 20); } yield piece; } }
      await writeFileAtomic(${JSON.stringify(file)}, pieces(), { tmp: ${JSON.stringify(join(dir, '.out.json.tmp-child'))} });
      process.stdout.write('done\\n');
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('writing')) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });
    expect(out).not.toContain('done');
    expect(readFileSync(file, 'utf8')).toBe(old);
    expect(readdirSync(dir).filter((n) => n !== '.out.json.tmp-child')).toEqual(['out.json']);
    expect(existsSync(file)).toBe(true);
  }, 60_000);
});
