import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadBundle } from '../../src/engine/bundle.js';
import { Engine } from '../../src/engine/evaluate.js';
import { jest } from '@jest/globals';
import { NothingEvaluatedError, PolicyBundleError, PolicyEvaluationError } from '../../src/engine/errors.js';
import { findingsValidator } from '../../src/findings/baseline.js';
import { jsonChunks } from '../../src/findings/json-text.js';
import { renderJson } from '../../src/renderers/json.js';
import { loadSnapshot } from '../../src/snapshot/validate.js';
import type { Snapshot, Vault } from '../../src/snapshot/types.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { requireBuiltBundle } from '../support/prerequisites.js';
import { azureVault, object, snapshot } from '../support/snapshot-builder.js';

const DEMO = join(PACKAGE_ROOT, 'fixtures', 'demo', 'snapshot.json');
export const FIXTURE_SNAPSHOTS = [DEMO, ...readdirSync(join(PACKAGE_ROOT, 'test', 'fixtures', 'snapshots')).map((f) => join(PACKAGE_ROOT, 'test', 'fixtures', 'snapshots', f))];

let engine: Engine;
beforeAll(async () => {
  requireBuiltBundle();
  engine = await Engine.create(loadBundle());
});

describe('engine on the demo fleet', () => {
  it('produces a findings document that validates against the findings schema', () => {
    const doc = engine.evaluate(loadSnapshot(DEMO), { toolVersion: '0.0.0-test' });
    const validate = findingsValidator();
    expect(validate(doc)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
    expect(doc.summary.evaluated).toBe(doc.findings.length);
    expect(doc.summary.fail + doc.summary.pass + doc.summary.waived + doc.summary.error).toBe(doc.findings.length);
    expect(doc.scan.now).toBe('2026-11-29T00:00:00Z');
    expect(doc.scan.policy_bundle_sha256).toBe(engine.bundle.sha256);
  });

  // Rules that judge inputs a snapshot alone does not carry, each with the input that brings them in.
  const NEEDS_MORE_THAN_A_SNAPSHOT: Record<string, string> = {
    'VP-WVR-001': 'a waiver file',
    'VP-REV-002': "event facts (principal_activity from the audit logs of `--events`)",
    'VP-REV-004': "the config's review roster",
    'VP-REV-005': "last month's attested revocations (review --previous/--attestation)",
  };

  // Rules with no failing state: what they do not pass is unjudged (error), by design.
  const PASS_OR_UNJUDGED: Record<string, string> = {
    'VP-CON-003': 'a consumer of an unknown kind is listed unjudged (error), never passed and never failed',
  };

  // Rules the demo fleet never fails, so that its compliance map shows every status: each sole rule
  // of a requirement the map shows compliant, not evidenced or unjudged. Each is shown passing and
  // failing on a variant of the demo that changes only what the rule reads.
  const DEMO_SHOWS_A_REQUIREMENT_STATUS: Record<string, { requirement: string; status: string; variant: (demo: Snapshot) => void }> = {
    'VP-CRD-002': {
      requirement: 'SM-2-g', status: 'compliant',
      variant: (demo) => { delete demoObject(demo, 'kv-packaging-weu', 'scanner-snyk').tags['token-scope']; },
    },
    'VP-AUD-002': {
      requirement: 'SM-5-d', status: 'error',
      variant: (demo) => {
        const [destination] = demoVault(demo, 'kv-packaging-weu').audit!.destinations!;
        destination!.log_analytics_table = { name: 'AZKVAuditLogs', retention_days: 90, total_retention_days: 90 };
      },
    },
    'VP-PRC-005': {
      requirement: 'SM-6-c', status: 'not-evidenced',
      variant: (demo) => {
        const drill = (id: string, daysAgo: number, blocked: boolean) => ({ drill_id: id, started_at: demo.now - daysAgo * 86_400, ended_at: demo.now - daysAgo * 86_400 + 1800, blocked, publishes_attempted: 3 });
        (demo.events as unknown as { process: { outage_drills: Record<string, unknown> } }).process.outage_drills = {
          [demoVault(demo, 'kv-platform-weu').id]: drill('DRILL-A', 20, true),
          [demoVault(demo, 'kv-connectors-weu').id]: drill('DRILL-B', 20, false),
        };
      },
    },
  };

  it('shows every implemented rule both passing and failing', () => {
    const doc = engine.evaluate(loadSnapshot(DEMO), { toolVersion: '0.0.0-test' });
    const statuses = new Map<string, Set<string>>();
    for (const f of doc.findings) statuses.set(f.rule_id, (statuses.get(f.rule_id) ?? new Set()).add(f.status));
    const ruleIds = engine.bundle.catalog.rules.map((r) => r.id).filter((id) => !(id in NEEDS_MORE_THAN_A_SNAPSHOT) && !(id in DEMO_SHOWS_A_REQUIREMENT_STATUS));
    for (const id of ruleIds) {
      expect([id, statuses.get(id)?.has('pass')]).toEqual([id, true]);
      // A rule whose only other state is unjudged shows that instead of a failure.
      expect([id, statuses.get(id)?.has(id in PASS_OR_UNJUDGED ? 'error' : 'fail')]).toEqual([id, true]);
    }
  });

  it.each(Object.entries(DEMO_SHOWS_A_REQUIREMENT_STATUS))('%s never fails on the demo (its requirement shows another status) and passes and fails on a variant', (id, { requirement, status, variant }) => {
    const demo = loadSnapshot(DEMO);
    const onDemo = engine.evaluate(demo, { toolVersion: '0' }).findings.filter((f) => f.rule_id === id);
    expect(onDemo.length).toBeGreaterThan(0);
    expect(onDemo.filter((f) => f.status === 'fail')).toEqual([]);
    // The requirement it serves alone is the demo map's example of that status.
    const rulesOfRequirement = engine.bundle.catalog.rules.filter((r) => (r.requirements ?? []).includes(requirement)).map((r) => r.id);
    expect(rulesOfRequirement).toEqual([id]);
    const expected = status === 'compliant' ? ['pass'] : status === 'error' ? ['error', 'pass'] : ['error'];
    expect([...new Set(onDemo.map((f) => f.status))].sort()).toEqual(expected);
    variant(demo);
    const onVariant = new Set(engine.evaluate(demo, { toolVersion: '0' }).findings.filter((f) => f.rule_id === id).map((f) => f.status));
    expect([id, onVariant.has('pass'), onVariant.has('fail')]).toEqual([id, true, true]);
  });

  it('shows the review rules that need a roster, revocations or activity both passing and failing once given them', async () => {
    const demo = loadSnapshot(DEMO);
    const people = Object.values(demo.principals).filter((p) => p.type !== 'group' && p.type !== 'vault-group');
    expect(people.length).toBeGreaterThan(3);
    // A roster naming half of them: the rest hold access without being on it.
    const roster = people.slice(0, Math.floor(people.length / 2)).map((p) => p.display_name);
    const withRoster = await Engine.create(loadBundle(), { review: { roster } });
    const rosterStatuses = new Set(withRoster.evaluate(demo, { toolVersion: '0' }).findings.filter((f) => f.rule_id === 'VP-REV-004').map((f) => f.status));
    expect(rosterStatuses).toEqual(new Set(['pass', 'fail']));
    // Two attested revocations: one grant still present (not carried out), one gone.
    const [kept] = Object.values(demo.grants);
    const revocation = (grant: string, scope: string, vault: string) => ({ grant, scope, vault, vault_name: vault, principal_name: 'someone', review_id: 'AR-2026-10', completed_at: '2026-10-30', reason: 'left the team' });
    const withRevocations = await Engine.create(loadBundle(), { review: { revocations: [revocation(kept!.id, kept!.scope, kept!.vault), revocation('grant-already-removed', '*', kept!.vault)] } });
    const revocationStatuses = withRevocations.evaluate(demo, { toolVersion: '0' }).findings.filter((f) => f.rule_id === 'VP-REV-005').map((f) => f.status).sort();
    expect(revocationStatuses).toEqual(['fail', 'pass']);
    // Every vault's audit log read completely, and requests seen from every other principal.
    const day = 86_400;
    const events = {
      window: { from: demo.now - 31 * day, to: demo.now },
      sources: [{ id: 'vault-audit', status: 'complete', sections: ['audit'] }],
      audit: Object.fromEntries(Object.keys(demo.vaults).map((v) => [v, {}])),
      principal_activity: Object.fromEntries(people.filter((_, i) => i % 2 === 0).map((p) => [p.id, { last_seen: demo.now - 3 * day, operations: 5 }])),
    };
    const active = engine.evaluate({ ...demo, events } as never, { toolVersion: '0' });
    const activityStatuses = new Set(active.findings.filter((f) => f.rule_id === 'VP-REV-002').map((f) => f.status));
    expect(activityStatuses.has('pass') && activityStatuses.has('fail')).toBe(true);
  });

  it('is deterministic: the same snapshot twice gives byte-identical JSON', async () => {
    const snap = loadSnapshot(DEMO);
    const first = renderJson(engine.evaluate(snap, { toolVersion: '1.0.0' }), { toolVersion: '1.0.0', rules: {} });
    const fresh = await Engine.create(loadBundle());
    const second = renderJson(fresh.evaluate(loadSnapshot(DEMO), { toolVersion: '1.0.0' }), { toolVersion: '1.0.0', rules: {} });
    expect(second).toBe(first);
  });

  it('sorts findings by rule id, then resource id, and fingerprints them stably', () => {
    const doc = engine.evaluate(loadSnapshot(DEMO), { toolVersion: '0' });
    const keys = doc.findings.map((f) => `${f.rule_id}\u0000${f.resource.id}`);
    expect(keys).toEqual([...keys].sort());
    expect(new Set(doc.findings.map((f) => f.fingerprint)).size).toBe(doc.findings.length);
  });
});

function demoVault(demo: Snapshot, name: string): Vault {
  const vault = Object.values(demo.vaults).find((v) => v.name === name);
  if (!vault) throw new Error(`the demo fleet has no vault ${name}`);
  return vault;
}

function demoObject(demo: Snapshot, vaultName: string, objectName: string): { tags: Record<string, string> } {
  const object = Object.values(demoVault(demo, vaultName).objects).find((o) => o.name === objectName);
  if (!object?.tags) throw new Error(`the demo vault ${vaultName} has no tagged object ${objectName}`);
  return object as { tags: Record<string, string> };
}

describe('rule catalog and Rego agree', () => {
  it('every rule package in the catalog is a real package, and every emitted package has a catalog entry', () => {
    const bundle = engine.bundle;
    const emitted = new Set<string>();
    for (const file of FIXTURE_SNAPSHOTS) for (const f of engine.findings(loadSnapshot(file))) emitted.add(f.rule_id);
    for (const id of emitted) expect(bundle.rulesById.has(id)).toBe(true);
    for (const r of bundle.catalog.rules) {
      expect(r.package).toMatch(/^vaultproof\.rules\.[a-z_]+\.[a-z_]+$/);
      // A rule id is a path (scripts/policy-catalog.mjs): policies/<family folder>/<id>_<package name>.rego.
      expect(r.source_file).toMatch(new RegExp(`^policies/[a-z]+/${r.id}_${r.package.split('.').pop()}\\.rego$`));
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.remediation.length).toBeGreaterThan(10);
    }
    // VP-REV-004 and -005 judge a roster and attested revocations, which come from a config's review block and last month's review, not from a snapshot.
    const nonWaiver = bundle.catalog.rules.filter((r) => r.family !== 'waivers' && r.id !== 'VP-REV-004' && r.id !== 'VP-REV-005').map((r) => r.id);
    for (const id of nonWaiver) expect([id, emitted.has(id)]).toEqual([id, true]);
  });

  it('yields at most one finding per rule and resource on every fixture', () => {
    for (const file of FIXTURE_SNAPSHOTS) {
      const seen = new Set<string>();
      for (const f of engine.findings(loadSnapshot(file))) {
        const key = `${f.rule_id} ${f.resource.id}`;
        expect(seen.has(key)).toBe(false);
        seen.add(key);
      }
    }
  });
});

describe('engine behaviour', () => {
  it('turns missing data into error findings, never passes', () => {
    const v = azureVault('kv-unknown', { config: { ...azureVault('x').config, soft_delete: null } });
    const doc = engine.evaluate(snapshot([v]), { toolVersion: '0' });
    const f = doc.findings.find((x) => x.rule_id === 'VP-CFG-001');
    expect(f?.status).toBe('error');
    expect(doc.summary.error).toBeGreaterThanOrEqual(1);
    expect(doc.findings.filter((x) => x.rule_id === 'VP-CFG-001').map((x) => x.status)).toEqual(['error']);
  });

  it('records incomplete scopes and marks the scan incomplete', () => {
    const doc = engine.evaluate(loadSnapshot(join(PACKAGE_ROOT, 'test/fixtures/snapshots/incomplete-scan.json')), { toolVersion: '0' });
    expect(doc.scan.complete).toBe(false);
    expect(doc.scan.scopes.filter((s) => s.status === 'incomplete')[0]?.reason).toMatch(/403/);
  });

  it('refuses to produce an empty document (zero rules evaluated)', () => {
    expect(() => engine.evaluate(snapshot([]), { toolVersion: '0' })).toThrow(NothingEvaluatedError);
  });

  it('applies threshold overrides from config', async () => {
    const v = azureVault('kv-a');
    object(v, 'certificate', 'c', 'project/control-plane/c', 40);
    const strict = await Engine.create(loadBundle(), { thresholds: { rotation_days: { 'sp-certificate': 30 } } });
    const f = strict.evaluate(snapshot([v]), { toolVersion: '0' }).findings.find((x) => x.rule_id === 'VP-ROT-001');
    expect(f?.status).toBe('fail');
    expect(f?.metric).toEqual({ name: 'CertificateAgeDays', value: 40, op: '<=', threshold: 30 });
  });

  it('applies user classification rules before the defaults', async () => {
    const v = azureVault('kv-a');
    object(v, 'secret', 'db', 'apps/billing/db-password', 70);
    const custom = await Engine.create(loadBundle(), { classification: [{ type: 'api-token', match: { path: 'apps/**' } }] });
    const findings = custom.evaluate(snapshot([v]), { toolVersion: '0' }).findings;
    expect(findings.find((x) => x.rule_id === 'VP-ROT-010')?.status).toBe('pass');
    expect(findings.find((x) => x.rule_id === 'VP-ROT-002')?.status).toBe('fail');
  });

  it('fails loudly when a vault shard yields nothing, naming the vault', () => {
    const bad = new TextEncoder().encode('{"kind": "vault", "now": ').buffer as ArrayBuffer;
    const shardsModule = engine as unknown as { findings: (s: unknown) => unknown };
    const v = azureVault('kv-broken');
    const snap = snapshot([v]);
    // A vault whose input the policy cannot read: simulate by breaking the shard bytes.
    const original = JSON.stringify;
    const spy = jest.spyOn(JSON, 'stringify').mockImplementation((value: unknown, ...rest: unknown[]) =>
      value && typeof value === 'object' && (value as { kind?: string }).kind === 'vault' ? new TextDecoder().decode(bad) : original(value, ...(rest as [])),
    );
    try {
      expect(() => shardsModule.findings(snap)).toThrow(PolicyEvaluationError);
      expect(() => shardsModule.findings(snap)).toThrow(/kv-broken/);
    } finally {
      spy.mockRestore();
    }
  });

  it('rejects a corrupt policy.wasm with a bundle error', async () => {
    const bundle = { ...loadBundle(), wasm: new Uint8Array([0, 97, 115, 109, 9, 9, 9]) };
    await expect(Engine.create(bundle)).rejects.toThrow(PolicyBundleError);
  });
});

describe('JSON output in pieces', () => {
  it('jsonChunks concatenates to exactly JSON.stringify(doc, null, 2) + newline, with and without findings', () => {
    const doc = engine.evaluate(loadSnapshot(DEMO), { toolVersion: '1.0.0' });
    expect([...jsonChunks(doc)].join('')).toBe(JSON.stringify(doc, null, 2) + '\n');
    const empty = { ...doc, findings: [] };
    expect([...jsonChunks(empty)].join('')).toBe(JSON.stringify(empty, null, 2) + '\n');
    expect([...jsonChunks(doc)].length).toBe(doc.findings.length + 2);
  });
});
