/** Shared fixtures for the evidence-pack tests: the hand-built fleet and a fixed, public test key. */
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleCatalog } from '../../src/findings/catalog.js';
import type { FindingsDocument, Waiver } from '../../src/findings/types.js';
import { ed25519Signer } from '../../src/evidence/signers/ed25519.js';
import type { Signer } from '../../src/evidence/signers/types.js';
import type { WriteEvidencePackOptions } from '../../src/evidence/writer.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { loadRequirementCatalog } from '../../src/findings/requirements.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'evidence');

export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;
}

/** RFC 8032 §7.1 TEST 1 (a published test key, never a real one): deterministic signatures for golden files. */
export const TEST_KEY_SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
export const TEST_KEY_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';

export function testSigner(seedHex = TEST_KEY_SEED, publicHex = TEST_KEY_PUBLIC): Signer {
  const key = createPrivateKey({
    key: { kty: 'OKP', crv: 'Ed25519', d: Buffer.from(seedHex, 'hex').toString('base64url'), x: Buffer.from(publicHex, 'hex').toString('base64url') },
    format: 'jwk',
  });
  return ed25519Signer(key, 'ed25519 test key (RFC 8032 TEST 1)');
}

export const FIXED_CLOCK = () => new Date('2026-11-29T06:00:00Z');

/** The pack options of the fixture: a findings document and a snapshot held whole (tests edit them). */
export type FixturePackOptions = WriteEvidencePackOptions & { findings: FindingsDocument; snapshot: Snapshot };

export function packOptions(outDir: string, overrides: Partial<FixturePackOptions> = {}): FixturePackOptions {
  return {
    findings: fixture<FindingsDocument>('findings.json'),
    snapshot: fixture<Snapshot>('snapshot.json'),
    catalog: fixture<RuleCatalog>('rules.json'),
    requirements: loadRequirementCatalog(join(FIXTURES, 'requirements.yaml')),
    waivers: fixture<Waiver[]>('waivers.json'),
    extraFiles: [{ name: 'access-review.md', content: '# Access review\n\nNo change since last month.\n' }],
    signer: testSigner(),
    outDir,
    clock: FIXED_CLOCK,
    ...overrides,
  };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `vp-${prefix}-`));
}
