/**
 * Issue 18 point 2: `verify` of a pack directory reads it file by file (digests as streams, only the
 * envelope, manifest and ledger whole, findings.json's `scan` member and the snapshot's mount tables
 * without parsing the whole file), so a pack of any size verifies in bounded memory with the same
 * checks and detail lines as before.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, openSync, readFileSync, readSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../src/cli/main.js';
import { TOOL_VERSION } from '../../src/version.js';
import { recordVaultRun } from '../../src/collectors/hashicorp-vault/ledger.js';
import { signEnvelope } from '../../src/evidence/dsse.js';
import { packJson, sha256Hex } from '../../src/evidence/encoding.js';
import { ENVELOPE_FILE, MANIFEST_FILE, type Manifest } from '../../src/evidence/manifest.js';
import { packReadLimits } from '../../src/evidence/pack-files.js';
import { IN_TOTO_PAYLOAD_TYPE, type Statement } from '../../src/evidence/statement.js';
import { verifyEvidencePack, type VerifyReport } from '../../src/evidence/verify.js';
import { writeEvidencePack } from '../../src/evidence/writer.js';
import { loadBundle } from '../../src/engine/bundle.js';
import type { FindingsDocument } from '../../src/findings/types.js';
import { auditLedger } from '../../src/ledger/read.js';
import { Ledger } from '../../src/ledger/writer.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { fakeConsole } from '../support/fake-console.js';
import { packOptions, ROOT, tempDir, testSigner } from './helpers.js';

const work = tempDir('verify-large');
afterAll(() => rmSync(work, { recursive: true, force: true }));

function failed(r: VerifyReport): string[] {
  return r.checks.filter((c) => c.status === 'fail').map((c) => c.name);
}

/** Verifies with findings.json and snapshot.json read as large files (indexed, vault by vault) however small they are. */
async function verifyAsLarge(dir: string, pem?: string): Promise<VerifyReport> {
  const saved = packReadLimits.maxWholeJsonBytes;
  packReadLimits.maxWholeJsonBytes = 0;
  try {
    return await verifyEvidencePack(dir, pem === undefined ? {} : { publicKeyPem: pem });
  } finally {
    packReadLimits.maxWholeJsonBytes = saved;
  }
}

/** Re-signs a pack after its files changed: the manifest's file list, the statement's subjects, the envelope. */
async function resign(dir: string, manifestPadding = ''): Promise<void> {
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  const digestOf = (name: string) => sha256Hex(readFileSync(join(dir, name)));
  for (const f of manifest.files) {
    f.sha256 = digestOf(f.path);
    f.bytes = statSync(join(dir, f.path)).size;
  }
  writeFileSync(join(dir, MANIFEST_FILE), packJson(manifest) + manifestPadding);
  const env = JSON.parse(readFileSync(join(dir, ENVELOPE_FILE), 'utf8')) as { payload: string };
  const statement = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as Statement;
  for (const s of statement.subject) s.digest.sha256 = digestOf(s.name);
  statement.predicate.manifest_sha256 = digestOf(MANIFEST_FILE);
  writeFileSync(join(dir, ENVELOPE_FILE), packJson(await signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), testSigner())));
}

describe('verify reads a large findings.json and snapshot.json by parts, with the same result', () => {
  let fixturePack: string;
  let ledgerPack: string;
  let ledgerText: string;
  let pem: string;

  beforeAll(async () => {
    pem = await testSigner().publicKeyPem();
    fixturePack = join(work, 'fixture');
    await writeEvidencePack(packOptions(fixturePack));
    // A pack with a request ledger whose classification depends on the snapshot's Vault mount tables.
    const findingsFile = join(work, 'demo-findings.json');
    expect(await run(['scan', '--demo', '--format', 'json', '--out', findingsFile], fakeConsole())).not.toBe(2);
    const findings = JSON.parse(readFileSync(findingsFile, 'utf8')) as FindingsDocument;
    const snapshot = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'demo', 'snapshot.json'), 'utf8')) as Snapshot;
    const ledger = new Ledger({ scanId: findings.scan.id, correlationId: 'chg-18', toolVersion: TOOL_VERSION, clock: () => new Date('2026-11-29T06:00:00Z') });
    const at = Date.parse('2026-11-29T06:00:00Z');
    const entry = (method: 'GET' | 'LIST', path: string) => ({ method, path, namespace: '', status: 200, attempt: 1, duration_ms: 2, at, response_bytes: 100, authenticated: true });
    recordVaultRun(ledger, { name: 'weu', address: 'https://vault-weu.vault.internal:8200' } as never, {
      name: 'weu',
      raw: { self: null } as never,
      peakConcurrency: 1,
      // legacy/ is KV v1 on vault-weu: a GET under it reads a value, which only its mount table says.
      requestLog: [entry('LIST', 'secret/metadata/app'), entry('GET', 'legacy/app/db-password')],
    } as never, snapshot.identities ?? []);
    ledger.finish(true);
    ledgerText = ledger.text();
    ledgerPack = join(work, 'ledger');
    await writeEvidencePack({ ...packOptions(ledgerPack), findings, snapshot, catalog: loadBundle().catalog, ledger: ledgerText });
  });

  it('gives the same report whole or by parts, on a pack without and with a ledger', async () => {
    for (const dir of [fixturePack, ledgerPack]) {
      const whole = await verifyEvidencePack(dir, { publicKeyPem: pem });
      expect(whole.exitCode).toBe(dir === ledgerPack ? 1 : 0); // the ledger's value read fails its check
      const parts = await verifyAsLarge(dir, pem);
      expect(parts.checks).toEqual(whole.checks);
    }
  });

  it('classifies the ledger with the mount tables read vault by vault (without them the report would differ)', async () => {
    const parts = await verifyAsLarge(ledgerPack, pem);
    const calls = parts.checks.find((c) => c.name === 'value-reading calls');
    expect(calls?.status).toBe('fail');
    expect(calls?.detail).toMatch(/^1 of 2 call\(s\) \(must be 0\); 0 unclassified: value-read /);
    // The control: without the mount tables the legacy/ read is unclassified, not a value read.
    const blind = auditLedger(ledgerText, 'ledger.jsonl', {});
    expect([blind.valueReads.length, blind.unclassified.length]).toEqual([0, 1]);
  });

  it('fails the manifest check for a findings.json that is not JSON, naming it, whole or by parts', async () => {
    const dir = join(work, 'bad-findings');
    cpSync(fixturePack, dir, { recursive: true });
    const f = join(dir, 'findings.json');
    writeFileSync(f, readFileSync(f, 'utf8').replace('"scan"', '"scan" "'));
    await resign(dir);
    const whole = await verifyEvidencePack(dir, { publicKeyPem: pem });
    expect(failed(whole)).toEqual(['manifest']);
    expect(whole.checks.find((c) => c.name === 'manifest')?.detail).toMatch(/^findings\.json: \$\.scan: invalid JSON at line \d+, column \d+: expected ':' after the member name/);
    // By parts the indexer names the problem in its own words, at the same line and column.
    const parts = await verifyAsLarge(dir, pem);
    expect(failed(parts)).toEqual(['manifest']);
    const at = (r: VerifyReport) => /^findings\.json: .*invalid JSON at (line \d+, column \d+): /.exec(r.checks.find((c) => c.name === 'manifest')!.detail)?.[1];
    expect(at(parts)).toBeDefined();
    expect(at(parts)).toBe(at(whole));
  });

  it('a snapshot.json that is unreadable as a snapshot audits the ledger without mount tables, whole or by parts', async () => {
    const dir = join(work, 'bad-snapshot');
    cpSync(ledgerPack, dir, { recursive: true });
    writeFileSync(join(dir, 'snapshot.json'), '{"vaults": ');
    await resign(dir);
    const whole = await verifyEvidencePack(dir, { publicKeyPem: pem });
    expect((await verifyAsLarge(dir, pem)).checks).toEqual(whole.checks);
    expect(whole.checks.find((c) => c.name === 'value-reading calls')?.detail).not.toEqual((await verifyEvidencePack(ledgerPack, { publicKeyPem: pem })).checks.find((c) => c.name === 'value-reading calls')?.detail);
  });

  it('refuses an envelope or a manifest past the small-file bound as a failed check naming the file', async () => {
    const saved = packReadLimits.maxSmallFileBytes;
    try {
      packReadLimits.maxSmallFileBytes = statSync(join(fixturePack, ENVELOPE_FILE)).size - 1;
      const r = await verifyEvidencePack(fixturePack, { publicKeyPem: pem });
      expect(r.checks.map((c) => [c.name, c.status])).toEqual([['envelope', 'fail']]);
      expect(r.checks[0]!.detail).toMatch(/^manifest\.dsse\.json is \d+ bytes, larger than the \d+ bytes/);
      // A manifest (signed, so the digests hold) padded past the bound, the envelope within it.
      const dir = join(work, 'big-manifest');
      cpSync(fixturePack, dir, { recursive: true });
      await resign(dir, ' '.repeat(8192));
      packReadLimits.maxSmallFileBytes = statSync(join(dir, MANIFEST_FILE)).size - 1;
      expect(statSync(join(dir, ENVELOPE_FILE)).size).toBeLessThanOrEqual(packReadLimits.maxSmallFileBytes);
      const m = await verifyEvidencePack(dir, { publicKeyPem: pem });
      expect(failed(m)).toEqual(['manifest']);
      expect(m.checks.find((c) => c.name === 'manifest')?.detail).toMatch(/^manifest\.json is \d+ bytes, larger than/);
    } finally {
      packReadLimits.maxSmallFileBytes = saved;
    }
  });

  it('still counts a symlink in the pack as a file not in the statement, without following it', async () => {
    const dir = join(work, 'symlink');
    cpSync(fixturePack, dir, { recursive: true });
    unlinkSync(join(dir, 'summary.md'));
    symlinkSync(join(fixturePack, 'summary.md'), join(dir, 'summary.md'));
    const r = await verifyEvidencePack(dir, { publicKeyPem: pem });
    expect(failed(r)).toEqual(['digest summary.md']);
    expect(r.checks.find((c) => c.name === 'digest summary.md')?.detail).toContain(`sha256 is ${sha256Hex('')}`);
  });

  it('points a tarball too large to read whole to verifying the extracted directory', async () => {
    const { tarLimits } = await import('../../src/evidence/tarball.js');
    const saved = { ...tarLimits };
    const tgz = join(work, 'fixture.tar.gz');
    await writeEvidencePack(packOptions(join(work, 'fixture-tgz'), { tarGz: true }));
    cpSync(join(work, 'fixture-tgz.tar.gz'), tgz);
    Object.assign(tarLimits, { maxTotalBytes: 64 * 1024 });
    try {
      const r = await verifyEvidencePack(tgz, {});
      expect(r.exitCode).toBe(2);
      expect(r.checks[0]!.detail).toMatch(/inflates to more than 65536 bytes.*verified as a directory: extract it first \(tar xzf\)/);
    } finally {
      Object.assign(tarLimits, saved);
    }
  });
});

describe('verify of a pack directory with a findings.json larger than the heap', () => {
  const TARGET_BYTES = 320 * 1024 * 1024;
  let pack: string;
  let pem: string;

  /** Runs verify in a child process whose V8 heap is capped at 128 MB; returns its exit code, output and peak RSS. */
  function verifyInSmallHeap(dir: string): { status: number | null; report: { exitCode: number; failed: string[]; details: Record<string, string> }; maxRssMiB: number; stderr: string } {
    const script = `
      const { verifyEvidencePack } = await import('./src/evidence/verify.ts');
      const r = await verifyEvidencePack(process.argv[1], { publicKeyPem: process.env.VP_PEM });
      const details = Object.fromEntries(r.checks.map((c) => [c.name, c.detail]));
      console.log(JSON.stringify({ report: { exitCode: r.exitCode, failed: r.checks.filter((c) => c.status === 'fail').map((c) => c.name), details }, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
    `;
    const r = spawnSync(process.execPath, ['--max-old-space-size=128', '--import', 'tsx', '--input-type=module', '-e', script, dir], {
      cwd: ROOT, env: { PATH: process.env.PATH, VP_PEM: pem }, encoding: 'utf8', maxBuffer: 16 << 20,
    });
    const out = r.stdout.trim().split('\n').at(-1) ?? '';
    const parsed = out.startsWith('{') ? JSON.parse(out) : { report: { exitCode: -1, failed: [], details: {} }, maxRssMiB: NaN };
    return { status: r.status, ...parsed, stderr: r.stderr };
  }

  beforeAll(async () => {
    pem = await testSigner().publicKeyPem();
    pack = join(work, 'big');
    await writeEvidencePack(packOptions(pack));
    // findings.json of the fixture with its findings repeated until the file is past 320 MiB: still
    // the writer's form (two-space JSON), the same `scan` member, so the pack re-signed verifies.
    const doc = JSON.parse(readFileSync(join(pack, 'findings.json'), 'utf8')) as FindingsDocument & { findings: unknown[] };
    const [head, tail] = packJson({ ...doc, findings: ['\u0000'] }).split('"\\u0000"');
    const items = doc.findings.map((f) => JSON.stringify(f, null, 2).replace(/\n/g, '\n    '));
    const block = Buffer.from(items.join(',\n    '));
    const fd = openSync(join(pack, 'findings.json'), 'w');
    try {
      writeSync(fd, head!);
      let written = 0;
      for (let i = 0; written < TARGET_BYTES; i++) {
        if (i > 0) writeSync(fd, ',\n    ');
        written += writeSync(fd, block);
      }
      writeSync(fd, tail!);
    } finally {
      closeSync(fd);
    }
    await resign(pack);
  }, 300_000);

  it('verifies OK with a 128 MB heap', () => {
    expect(statSync(join(pack, 'findings.json')).size).toBeGreaterThan(TARGET_BYTES);
    const r = verifyInSmallHeap(pack);
    expect({ status: r.status, stderr: r.status === 0 ? '' : r.stderr, failed: r.report.failed }).toEqual({ status: 0, stderr: '', failed: [] });
    expect(r.report.exitCode).toBe(0);
    expect(r.report.details['manifest']).toMatch(/^policy bundle sha256 [0-9a-f]{64}, scan /);
    // Far less than the file: it was never held (the heap cap alone would stop a whole read).
    expect(r.maxRssMiB).toBeLessThan(256);
    console.log(`verify of a pack with a ${statSync(join(pack, 'findings.json')).size}-byte findings.json: peak RSS ${Math.round(r.maxRssMiB)} MiB`);
  }, 300_000);

  it('fails `digest findings.json` after a one-byte change in its middle, and the files check for a missing or extra file', () => {
    const f = join(pack, 'findings.json');
    const at = Math.floor(statSync(f).size / 2);
    const original = readByte(f, at);
    writeByte(f, at, original === 0x20 ? 0x09 : original ^ 0x01);
    try {
      const r = verifyInSmallHeap(pack);
      expect(r.status).toBe(0);
      expect(r.report.exitCode).toBe(1);
      expect(r.report.failed).toContain('digest findings.json');
      expect(r.report.details['digest findings.json']).toMatch(/the file was altered$/);
    } finally {
      writeByte(f, at, original);
    }
    writeFileSync(join(pack, 'extra.txt'), 'x');
    try {
      const r = verifyInSmallHeap(pack);
      expect(r.report.failed).toEqual(['files']);
      expect(r.report.details['files']).toBe('not in the signed statement: extra.txt');
    } finally {
      unlinkSync(join(pack, 'extra.txt'));
    }
    const moved = join(work, 'summary.md.away');
    cpSync(join(pack, 'summary.md'), moved);
    unlinkSync(join(pack, 'summary.md'));
    try {
      const r = verifyInSmallHeap(pack);
      expect(r.report.failed).toEqual(['files']);
      expect(r.report.details['files']).toBe('missing: summary.md');
    } finally {
      cpSync(moved, join(pack, 'summary.md'));
    }
    expect(verifyInSmallHeap(pack).report.exitCode).toBe(0);
  }, 600_000);
});

/** One byte of a file, read or written in place (the file is too large to rewrite whole). */
function readByte(file: string, at: number): number {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, at);
    return b[0]!;
  } finally {
    closeSync(fd);
  }
}

function writeByte(file: string, at: number, value: number): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.from([value]), 0, 1, at);
  } finally {
    closeSync(fd);
  }
}
