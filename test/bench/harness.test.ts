/**
 * Smoke test of the benchmark harness on a small fleet (1k objects): structure, not timings.
 * The generator is deterministic, the snapshot it writes is schema-valid, and one bench run gives
 * the floor, vaultproof and opa eval measurements with the same number of findings on both sides.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIZES, writeFleet } from '../../bench/fleet-generator.js';
import { ALL_FORMATS, renderMarkdown, runBench, TIME } from '../../bench/harness.js';
import { loadSnapshot } from '../../src/snapshot/validate.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { IN_CI, requireBuiltBundle, requireOpa } from '../support/prerequisites.js';

let work: string;
beforeAll(() => {
  requireBuiltBundle();
  work = mkdtempSync(join(tmpdir(), 'vp-bench-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('fleet generator', () => {
  it('writes the same bytes for the same options, and a schema-valid snapshot of the asked size', () => {
    const a = join(work, 'a.json');
    const b = join(work, 'b.json');
    const stats = writeFleet(a, { vaults: 5, objectsPerVault: 20, versions: 2 });
    writeFleet(b, { vaults: 5, objectsPerVault: 20, versions: 2 });
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    const snap = loadSnapshot(a);
    expect(Object.keys(snap.vaults)).toHaveLength(5);
    expect(Object.values(snap.vaults).reduce((n, v) => n + Object.keys(v.objects).length, 0)).toBe(100);
    expect(stats).toMatchObject({ vaults: 5, objects: 100 });
    expect(Object.values(snap.vaults).every((v) => Object.values(v.objects).every((o) => Object.keys(o.versions).length === 2))).toBe(true);
    // A realistic mix: several credential kinds, both providers, grants, replication and events.
    const kinds = new Set(Object.values(snap.vaults).flatMap((v) => Object.values(v.objects).map((o) => o.kind)));
    expect([...kinds].sort()).toEqual(['certificate', 'key', 'secret']);
    expect(new Set(Object.values(snap.vaults).map((v) => v.provider)).size).toBe(2);
    expect(Object.keys(snap.grants).length).toBeGreaterThan(5);
    expect(Object.keys(snap.events?.rotations ?? {}).length).toBeGreaterThan(0);
  });

  it('offers the four benchmark sizes', () => {
    const objects = Object.fromEntries(Object.entries(SIZES).map(([k, s]) => [k, s.vaults * s.objectsPerVault]));
    expect(objects).toEqual({ '1k': 1000, '10k': 10000, '100k': 100000, '1M': 1000000 });
  });
});

describe('bench harness', () => {
  it('measures floor, vaultproof and opa eval on a 1k fleet and renders the table', () => {
    const opa = requireOpa();
    if (!opa) return;
    const missing = [TIME, join(PACKAGE_ROOT, 'dist', 'engine', 'worker.js')].filter((f) => !existsSync(f));
    if (missing.length) {
      const reason = `${missing.join(', ')} missing (npm run setup / npm run build:ts)`;
      if (IN_CI) throw new Error(`prerequisite missing under CI: ${reason}`);
      console.warn(`SKIPPED: ${reason}`);
      return;
    }
    const report = runBench({ sizes: ['1k'], workDir: work, opa, workers: 2, opaTimeoutSeconds: 300 });
    expect(report.results).toHaveLength(1);
    const r = report.results[0]!;
    expect(r.objects).toBe(1000);
    for (const m of [r.floor, r.floor_whole, r.vaultproof, r.opa]) {
      expect(m.status).toBe('ok');
      expect(m.wall_s).toBeGreaterThan(0);
      expect(m.peak_rss_mib).toBeGreaterThan(0);
    }
    // Same snapshot, same policies: the two evaluators find the same number of findings.
    expect(r.vaultproof.findings).toBeGreaterThan(1000);
    expect(r.opa.findings).toBe(r.vaultproof.findings);
    expect(r.ratio_vaultproof_opa).toBeGreaterThan(0);
    expect(Object.keys(r.vaultproof.phases_ms ?? {})).toEqual(['load_bundle', 'index_validate_head', 'read_evaluate_spill', 'write']);
    const md = renderMarkdown(report);
    expect(md).toMatch(/^\| 1k \| 10 \| 1000 \|/m);
    expect(md).toContain('vaultproof/opa');
  });

  it('times every output format and the evidence pack through the CLI on a 1k fleet', () => {
    const missing = [TIME, join(PACKAGE_ROOT, 'dist', 'cli', 'main.js')].filter((f) => !existsSync(f));
    if (missing.length) {
      const reason = `${missing.join(', ')} missing (npm run setup / npm run build:ts)`;
      if (IN_CI) throw new Error(`prerequisite missing under CI: ${reason}`);
      console.warn(`SKIPPED: ${reason}`);
      return;
    }
    const report = runBench({ sizes: ['1k'], workDir: work, opa: '/nonexistent/opa', workers: 2, formats: ALL_FORMATS, skipOpa: true });
    const r = report.results[0]!;
    expect(r.opa.status).toBe('skipped');
    expect(Object.keys(r.formats ?? {})).toEqual(ALL_FORMATS);
    for (const [format, m] of Object.entries(r.formats ?? {})) {
      expect([format, m.status, m.error]).toEqual([format, 'ok', undefined]);
      expect(m.peak_rss_mib).toBeGreaterThan(0);
      if (format !== 'evidence-pack') expect(m.output_mib).toBeGreaterThanOrEqual(0);
    }
    const md = renderMarkdown(report);
    expect(md).toMatch(/^\| 1k \| sarif \| [\d.]+ \|/m);
    expect(md).toMatch(/^\| 1k \| evidence-pack \| [\d.]+ \|/m);
  });

  it('rejects an unknown size by name', () => {
    // Checked before anything runs, so no tool is needed.
    expect(() => runBench({ sizes: ['1k', '3k'], workDir: work, opa: '/nonexistent/opa' })).toThrow(/unknown size "3k" \(expected one of 1k, 10k, 100k, 1M\)/);
  });
});
