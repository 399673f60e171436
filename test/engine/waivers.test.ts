import { loadBundle } from '../../src/engine/bundle.js';
import { Engine } from '../../src/engine/evaluate.js';
import { applyBaseline } from '../../src/findings/baseline.js';
import { parseWaivers } from '../../src/engine/waivers.js';
import { InputError } from '../../src/util/input-error.js';
import { requireBuiltBundle } from '../support/prerequisites.js';
import { azureVault, NOW, object, snapshot } from '../support/snapshot-builder.js';

const RULES = new Set(['VP-ROT-001', 'VP-CFG-001', 'VP-ROT-010']);
const FILE = 'waivers.yaml';

function fleet() {
  const v = azureVault('kv-app', { config: { ...azureVault('x').config, purge_protection: false } });
  object(v, 'certificate', 'gw', 'project/control-plane/gw-cert', 120);
  object(v, 'certificate', 'orch', 'project/control-plane/orch-cert', 130);
  return snapshot([v]);
}

const waiverYaml = (expires: string, resource = '**/*gw-cert', rule = 'VP-ROT-001') => `version: 1
waivers:
  - rule: ${rule}
    resource: "${resource}"
    reason: "CA migration blocks renewal until January"
    approved_by: [alice@example.com, bob@example.com]
    expires: ${expires}
    ticket: CHG-1
`;

let engine: Engine;
beforeAll(async () => {
  requireBuiltBundle();
  engine = await Engine.create(loadBundle());
});

describe('waivers', () => {
  it('a waiver in force turns the matching failure into waived and shows the waiver', () => {
    const waivers = parseWaivers(waiverYaml('2027-01-15'), FILE, NOW, RULES);
    const doc = engine.evaluate(fleet(), { toolVersion: '0', waivers });
    const gw = doc.findings.find((f) => f.rule_id === 'VP-ROT-001' && f.resource.path.includes('gw-cert'));
    const orch = doc.findings.find((f) => f.rule_id === 'VP-ROT-001' && f.resource.path.includes('orch-cert'));
    expect(gw?.status).toBe('waived');
    expect(gw?.waiver).toEqual({ reason: 'CA migration blocks renewal until January', approved_by: ['alice@example.com', 'bob@example.com'], expires: '2027-01-15', ticket: 'CHG-1' });
    expect(orch?.status).toBe('fail');
    expect(doc.summary.waived).toBe(1);
    const wvr = doc.findings.filter((f) => f.rule_id === 'VP-WVR-001');
    expect(wvr.map((f) => f.status)).toEqual(['pass']);
    expect(wvr[0]?.metric).toEqual({ name: 'WaiverDaysToExpiry', value: 47, op: '>=', threshold: 0 });
  });

  it('an expired waiver makes the finding fail again and adds a finding of its own', () => {
    const waivers = parseWaivers(waiverYaml('2026-11-28'), FILE, NOW, RULES);
    const doc = engine.evaluate(fleet(), { toolVersion: '0', waivers });
    const gw = doc.findings.find((f) => f.rule_id === 'VP-ROT-001' && f.resource.path.includes('gw-cert'));
    expect(gw?.status).toBe('fail');
    expect(gw?.waiver).toBeUndefined();
    const lapse = doc.findings.find((f) => f.rule_id === 'VP-WVR-001');
    expect(lapse?.status).toBe('fail');
    expect(lapse?.severity).toBe('high');
    expect(lapse?.message).toBe('waiver of VP-ROT-001 expired on 2026-11-28; the finding it covered fails again');
  });

  it('the expiry day itself is still in force', () => {
    const waivers = parseWaivers(waiverYaml('2026-11-29'), FILE, NOW, RULES);
    const doc = engine.evaluate(fleet(), { toolVersion: '0', waivers });
    expect(doc.findings.find((f) => f.resource.path.includes('gw-cert') && f.rule_id === 'VP-ROT-001')?.status).toBe('waived');
  });

  it('matches a vault-level finding by vault name and never waives errors or passes', () => {
    const waivers = parseWaivers(waiverYaml('2027-01-01', 'kv-app', 'VP-CFG-001'), FILE, NOW, RULES);
    const doc = engine.evaluate(fleet(), { toolVersion: '0', waivers });
    expect(doc.findings.find((f) => f.rule_id === 'VP-CFG-001')?.status).toBe('waived');
    const passingOnly = parseWaivers(waiverYaml('2027-01-01', 'kv-app/*', 'VP-ROT-010'), FILE, NOW, RULES);
    const doc2 = engine.evaluate(fleet(), { toolVersion: '0', waivers: passingOnly });
    expect(doc2.findings.filter((f) => f.rule_id === 'VP-ROT-010').every((f) => f.status === 'pass')).toBe(true);
  });

  it.each([
    [waiverYaml('2027-06-01'), '$.waivers[0].expires', 'at most 90 days after the scan'],
    [waiverYaml('2027-02-30'), '$.waivers[0].expires', 'a real calendar date'],
    [waiverYaml('2027-01-01', '*', 'VP-XYZ-001'), '$.waivers[0].rule', 'a rule id of the catalog'],
    [waiverYaml('2027-01-01').replace('CA migration blocks renewal until January', 'short'), '$.waivers[0].reason', 'fewer than 10 characters'],
    [waiverYaml('2027-01-01').replace('    approved_by: [alice@example.com, bob@example.com]\n', ''), '$.waivers[0].approved_by', 'is required'],
    [waiverYaml('2027-01-01').replace('[alice@example.com, bob@example.com]', '[alice@example.com, Alice@example.com]'), '$.waivers[0].approved_by[1]', 'distinct approvers'],
    [waiverYaml('2027-01-01').replace('version: 1', 'version: 2'), '$.version', 'expected 1'],
    ['version: 1\nwaivers: [\n', '', 'invalid YAML at line'],
  ])('rejects an invalid waiver file with a path-precise error (%#)', (text, path, detail) => {
    let err: unknown;
    try {
      parseWaivers(text, FILE, NOW, RULES);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).path).toBe(path);
    expect((err as InputError).message).toContain(detail);
    expect((err as InputError).message.startsWith(`${FILE}: `)).toBe(true);
  });

  it('the resource glob is the one glob: * within a segment, ** across folders', () => {
    for (const [resource, waived] of [['kv-app/**/gw-cert', true], ['kv-app/project/*/gw-cert', true], ['kv-app/other/**', false], ['kv-app/**', true]] as const) {
      const waivers = parseWaivers(waiverYaml('2027-01-15', resource), FILE, NOW, RULES);
      const gw = engine.evaluate(fleet(), { toolVersion: '0', waivers }).findings.find((f) => f.rule_id === 'VP-ROT-001' && f.resource.path.includes('gw-cert'));
      expect([resource, gw?.status]).toEqual([resource, waived ? 'waived' : 'fail']);
    }
  });

  it('a glob the old reading (* across /) matched differently is refused, naming the waiver and the new spelling, not silently changed', () => {
    const waivers = parseWaivers(waiverYaml('2027-01-15', '*gw-cert'), FILE, NOW, RULES);
    let err: unknown;
    try {
      engine.evaluate(fleet(), { toolVersion: '0', waivers });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toContain(`${FILE}: $.waivers[0].resource: glob "*gw-cert" no longer matches "kv-app/project/control-plane/gw-cert"`);
    expect((err as InputError).message).toContain('write "**/*gw-cert"');
  });

  it('a glob the one glob refuses is refused when the file loads', () => {
    expect(() => parseWaivers(waiverYaml('2027-01-15', 'kv-app/**gw-cert'), FILE, NOW, RULES)).toThrow('$.waivers[0].resource: expected a resource glob (README "Globs"); "kv-app/**gw-cert" has `**` inside a path segment');
  });
});

describe('baseline', () => {
  it('marks failures new or unchanged and counts fixed ones', () => {
    const before = engine.evaluate(fleet(), { toolVersion: '0' });
    const s = fleet();
    const v = Object.values(s.vaults)[0]!;
    // The gateway certificate got renewed, a new stale one appeared.
    const gw = Object.values(v.objects).find((o) => o.name === 'gw')!;
    gw.versions[gw.current_version]!.created = NOW - 86400;
    object(v, 'certificate', 'new', 'project/control-plane/new-cert', 200);
    const after = applyBaseline(engine.evaluate(s, { toolVersion: '0' }), before);
    const failing = after.findings.filter((f) => f.status === 'fail' && f.rule_id === 'VP-ROT-001');
    expect(failing.filter((f) => f.baseline === 'new').map((f) => f.resource.path)).toEqual(['project/control-plane/new-cert']);
    expect(failing.filter((f) => f.baseline === 'unchanged')).toHaveLength(1);
    expect(after.summary.fixed).toBe(1);
    expect(after.findings.filter((f) => f.status === 'pass').every((f) => f.baseline === undefined)).toBe(true);
  });
});
