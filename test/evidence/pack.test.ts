import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyEvidencePack } from '../../src/evidence/verify.js';
import { writeEvidencePack } from '../../src/evidence/writer.js';
import { generateEd25519KeyPair, loadSigner } from '../../src/evidence/index.js';
import { FIXTURES, packOptions, tempDir, testSigner } from './helpers.js';

const GOLDEN = join(FIXTURES, 'golden-pack');
const work = tempDir('pack');
afterAll(() => rmSync(work, { recursive: true, force: true }));

function filesOf(dir: string): Record<string, Buffer> {
  return Object.fromEntries(readdirSync(dir).sort().map((n) => [n, readFileSync(join(dir, n))]));
}

describe('writeEvidencePack', () => {
  it('writes the DESIGN §7 layout, and verify accepts it with the pinned key', async () => {
    const out = join(work, 'layout', 'pack-2026-11');
    const written = await writeEvidencePack(packOptions(out));
    expect(readdirSync(out).sort()).toEqual([
      'access-review.md', 'findings.json', 'index.html', 'manifest.dsse.json', 'manifest.json', 'rules.json', 'snapshot.json', 'summary.md', 'waivers.json',
    ]);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(['access-review.md', 'findings.json', 'index.html', 'rules.json', 'snapshot.json', 'summary.md', 'waivers.json']);
    expect(manifest.policy_bundle_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.previous).toBeNull();
    expect(written.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
    const envelope = JSON.parse(readFileSync(join(out, 'manifest.dsse.json'), 'utf8'));
    expect(envelope.payloadType).toBe('application/vnd.in-toto+json');
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.subject.map((s: { name: string }) => s.name)).toEqual([...manifest.files.map((f: { path: string }) => f.path), 'manifest.json'].sort());

    const pem = await testSigner().publicKeyPem();
    const report = await verifyEvidencePack(out, { publicKeyPem: pem });
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.exitCode).toBe(0);
    expect(report.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['envelope', 'signature', 'signer', 'files', 'digest index.html', 'manifest', 'chain']));
  });

  it('gives byte-identical packs (and tarballs) for the same inputs and clock, equal to the golden pack', async () => {
    const a = join(work, 'det-a', 'pack');
    const b = join(work, 'det-b', 'pack');
    const ra = await writeEvidencePack(packOptions(a, { tarGz: true }));
    const rb = await writeEvidencePack(packOptions(b, { tarGz: true }));
    expect(filesOf(a)).toEqual(filesOf(b));
    expect(readFileSync(ra.tarball!)).toEqual(readFileSync(rb.tarball!));
    if (process.env.UPDATE_GOLDEN === '1') {
      rmSync(GOLDEN, { recursive: true, force: true });
      mkdirSync(GOLDEN, { recursive: true });
      for (const [n, data] of Object.entries(filesOf(a))) writeFileSync(join(GOLDEN, n), data);
    }
    const golden = filesOf(GOLDEN);
    const actual = filesOf(a);
    expect(Object.keys(actual)).toEqual(Object.keys(golden));
    for (const name of Object.keys(golden)) expect({ name, text: actual[name]!.toString('utf8') }).toEqual({ name, text: golden[name]!.toString('utf8') });
  });

  it('is atomic: refuses a non-empty target and leaves no temporary directory behind', async () => {
    const out = join(work, 'atomic', 'pack');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'other.txt'), 'not a pack');
    await expect(writeEvidencePack(packOptions(out))).rejects.toThrow(/already exists and is not empty/);
    expect(readdirSync(out)).toEqual(['other.txt']);
    expect(readdirSync(join(work, 'atomic'))).toEqual(['pack']);
    // A failure while building (a bad extra file name) writes nothing at all.
    const out2 = join(work, 'atomic', 'pack2');
    await expect(writeEvidencePack(packOptions(out2, { extraFiles: [{ name: '../escape.md', content: 'x' }] }))).rejects.toThrow(/plain file name/);
    expect(existsSync(out2)).toBe(false);
    // overwrite replaces the old pack as a whole.
    await writeEvidencePack(packOptions(out, { overwrite: true }));
    expect(readdirSync(out)).not.toContain('other.txt');
    expect(readdirSync(join(work, 'atomic'))).toEqual(['pack']);
  });

  it('rejects a snapshot that does not match the schema, naming the path', async () => {
    const opts = packOptions(join(work, 'badsnap'));
    (opts.snapshot as unknown as Record<string, unknown>).secret_value = 'CANARY-7f3a';
    await expect(writeEvidencePack(opts)).rejects.toThrow(/snapshot: \$\.secret_value: is not an allowed property/);
    expect(existsSync(join(work, 'badsnap'))).toBe(false);
  });

  it('chains to the previous pack: records its manifest digest and carries the trend history', async () => {
    const first = join(work, 'chain', '2026-10');
    const second = join(work, 'chain', '2026-11');
    const r1 = await writeEvidencePack(packOptions(first, { clock: () => new Date('2026-10-29T06:00:00Z') }));
    const r2 = await writeEvidencePack(packOptions(second, { previous: first }));
    const m2 = JSON.parse(readFileSync(join(second, 'manifest.json'), 'utf8'));
    expect(m2.previous.manifest_sha256).toBe(r1.manifestSha256);
    expect(m2.history).toHaveLength(2);
    const pem = await testSigner().publicKeyPem();
    const report = await verifyEvidencePack(second, { publicKeyPem: pem, previousDir: first });
    expect(report.checks.find((c) => c.name === 'chain')).toMatchObject({ status: 'ok' });
    expect(report.checks.find((c) => c.name === 'previous pack')).toMatchObject({ status: 'ok' });
    expect(report.exitCode).toBe(0);
    expect(r2.manifestSha256).not.toBe(r1.manifestSha256);
  });

  it('verifies a .tar.gz pack like a directory, and the tarball extracts with tar', async () => {
    const out = join(work, 'tgz', 'pack');
    const r = await writeEvidencePack(packOptions(out, { tarGz: true }));
    const pem = await testSigner().publicKeyPem();
    expect((await verifyEvidencePack(r.tarball!, { publicKeyPem: pem })).exitCode).toBe(0);
    const listing = execFileSync('tar', ['-tzf', r.tarball!], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toContain('pack/manifest.dsse.json');
    expect(listing).toHaveLength(9);
  });

  it('signs with a key made by generateEd25519KeyPair and loaded through loadSigner', async () => {
    const keys = await generateEd25519KeyPair(join(work, 'keys'));
    await expect(generateEd25519KeyPair(join(work, 'keys'))).rejects.toThrow(/already exists/);
    const signer = await loadSigner(`ed25519:${keys.privateKeyFile}`);
    expect(signer.keyid).toBe(keys.fingerprint);
    const out = join(work, 'keygen', 'pack');
    await writeEvidencePack(packOptions(out, { signer }));
    const report = await verifyEvidencePack(out, { publicKeyPem: readFileSync(keys.publicKeyFile, 'utf8') });
    expect(report.exitCode).toBe(0);
    expect(report.signer).toMatchObject({ fingerprint: keys.fingerprint, pinned: true });
  });
});
