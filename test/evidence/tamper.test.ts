import { copyFileSync, cpSync, readFileSync, readdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyEvidencePack, type VerifyReport } from '../../src/evidence/verify.js';
import { writeEvidencePack } from '../../src/evidence/writer.js';
import { packOptions, tempDir, testSigner } from './helpers.js';

const work = tempDir('tamper');
const pristine = join(work, 'pristine');
const previous = join(work, 'previous');
let pem: string;
let n = 0;

beforeAll(async () => {
  await writeEvidencePack(packOptions(previous, { clock: () => new Date('2026-10-29T06:00:00Z') }));
  await writeEvidencePack(packOptions(pristine, { previous, tarGz: true }));
  pem = await testSigner().publicKeyPem();
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function copy(): string {
  const dir = join(work, `case-${++n}`);
  cpSync(pristine, dir, { recursive: true });
  return dir;
}

function failed(r: VerifyReport): string[] {
  return r.checks.filter((c) => c.status === 'fail').map((c) => c.name);
}

const FILES = readdirSync; // alias for readability below

describe('verify detects tampering', () => {
  it('accepts the untouched pack, with the chain', async () => {
    const r = await verifyEvidencePack(pristine, { publicKeyPem: pem, previousDir: previous });
    expect(failed(r)).toEqual([]);
    expect(r.exitCode).toBe(0);
  });

  it('detects a one-byte change at the start, middle and end of every file', async () => {
    const names = FILES(pristine).sort();
    expect(names).toHaveLength(9);
    for (const name of names) {
      const size = readFileSync(join(pristine, name)).length;
      for (const at of [0, Math.floor(size / 2), size - 2]) {
        const dir = copy();
        const data = readFileSync(join(dir, name));
        data[at] = data[at]! ^ 0x01;
        writeFileSync(join(dir, name), data);
        const r = await verifyEvidencePack(dir, { publicKeyPem: pem });
        expect({ name, at, exitCode: r.exitCode }).toEqual({ name, at, exitCode: 1 });
        rmSync(dir, { recursive: true });
      }
    }
  });

  it('detects a whitespace-only edit of the envelope', async () => {
    const dir = copy();
    const text = readFileSync(join(dir, 'manifest.dsse.json'), 'utf8');
    writeFileSync(join(dir, 'manifest.dsse.json'), text.replace('\n', '\n '));
    const r = await verifyEvidencePack(dir, { publicKeyPem: pem });
    expect(failed(r)).toEqual(['envelope']);
  });

  it('detects a removed file', async () => {
    const dir = copy();
    unlinkSync(join(dir, 'waivers.json'));
    const r = await verifyEvidencePack(dir, { publicKeyPem: pem });
    expect(r.exitCode).toBe(1);
    expect(r.checks.find((c) => c.name === 'files')).toMatchObject({ status: 'fail', detail: 'missing: waivers.json' });
  });

  it('detects an added file, also in a sub-folder', async () => {
    const dir = copy();
    writeFileSync(join(dir, 'extra-evidence.txt'), 'looks legitimate');
    const r = await verifyEvidencePack(dir, { publicKeyPem: pem });
    expect(r.checks.find((c) => c.name === 'files')).toMatchObject({ status: 'fail', detail: 'not in the signed statement: extra-evidence.txt' });
    const dir2 = copy();
    cpSync(join(dir2, 'summary.md'), join(dir2, 'sub', 'summary.md'), { recursive: true });
    expect((await verifyEvidencePack(dir2, { publicKeyPem: pem })).checks.find((c) => c.name === 'files')?.detail).toMatch(/sub\/summary\.md/);
  });

  it('detects a renamed file', async () => {
    const dir = copy();
    renameSync(join(dir, 'summary.md'), join(dir, 'summary.txt'));
    const r = await verifyEvidencePack(dir, { publicKeyPem: pem });
    expect(r.checks.find((c) => c.name === 'files')).toMatchObject({ status: 'fail', detail: 'missing: summary.md; not in the signed statement: summary.txt' });
  });

  it('detects a wrong key', async () => {
    const stranger = testSigner('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb', '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c');
    const r = await verifyEvidencePack(pristine, { publicKeyPem: await stranger.publicKeyPem() });
    expect(failed(r)).toEqual(['signature']);
    expect(r.exitCode).toBe(1);
    // A pack re-signed by someone else verifies only against their own key, which the pinned key exposes.
    const resigned = join(work, 'resigned');
    await writeEvidencePack(packOptions(resigned, { signer: stranger }));
    expect(failed(await verifyEvidencePack(resigned, { publicKeyPem: pem }))).toEqual(['signature']);
    const unpinned = await verifyEvidencePack(resigned, {});
    expect(unpinned.exitCode).toBe(0);
    expect(unpinned.checks.find((c) => c.name === 'signer')).toMatchObject({ status: 'skipped' });
  });

  it('detects a broken chain link: a different or altered previous pack', async () => {
    const otherPrev = join(work, 'other-prev');
    await writeEvidencePack(packOptions(otherPrev, { clock: () => new Date('2026-10-30T06:00:00Z') }));
    const r = await verifyEvidencePack(pristine, { publicKeyPem: pem, previousDir: otherPrev });
    expect(r.checks.find((c) => c.name === 'chain')).toMatchObject({ status: 'fail' });
    expect(r.exitCode).toBe(1);

    const alteredPrev = join(work, 'altered-prev');
    cpSync(previous, alteredPrev, { recursive: true });
    const f = join(alteredPrev, 'findings.json');
    writeFileSync(f, readFileSync(f, 'utf8').replace('"fail"', '"pass"'));
    const r2 = await verifyEvidencePack(pristine, { publicKeyPem: pem, previousDir: alteredPrev });
    expect(r2.checks.find((c) => c.name === 'chain')).toMatchObject({ status: 'ok' });
    expect(r2.checks.find((c) => c.name === 'previous pack')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/digest findings\.json/) });

    const unchained = await verifyEvidencePack(previous, { publicKeyPem: pem, previousDir: otherPrev });
    expect(unchained.checks.find((c) => c.name === 'chain')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/records no previous pack/) });
  });

  it('detects a one-byte change inside the tarball', async () => {
    const tgz = join(work, 'copy.tar.gz');
    copyFileSync(`${pristine}.tar.gz`, tgz);
    expect((await verifyEvidencePack(tgz, { publicKeyPem: pem })).exitCode).toBe(0);
    const data = readFileSync(tgz);
    const mid = Math.floor(data.length / 2);
    data[mid] = data[mid]! ^ 0x01;
    writeFileSync(tgz, data);
    const r = await verifyEvidencePack(tgz, { publicKeyPem: pem });
    expect(r.exitCode).not.toBe(0);
  });

  it('reports an unreadable pack or key as an input error (exit 2)', async () => {
    expect((await verifyEvidencePack(join(work, 'nope'), {})).exitCode).toBe(2);
    expect((await verifyEvidencePack(pristine, { publicKeyPem: 'not a key' })).exitCode).toBe(2);
  });
});
