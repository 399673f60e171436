/**
 * The compliance map (src/findings/compliance.ts): one status per requirement from the findings of
 * the rules that name it. Example cases for every status, and properties: adding a failure never
 * makes a requirement compliant, taking evidence away never moves one toward compliant.
 */
import fc from 'fast-check';
import { complianceMap, mapRequirements, requirementStatus, REQUIREMENT_STATUSES, vaultBreakdown, type RequirementStatus, type RuleCounts } from '../../src/findings/compliance.js';
import type { Disposition, RequirementCatalog } from '../../src/findings/requirements.js';
import type { Finding, FindingStatus } from '../../src/findings/types.js';

const catalog: RequirementCatalog = {
  standard: 'secrets-management',
  version: '1.0',
  requirements: [
    { id: 'SM-1.1-a', section: '§1.1 Primary vault', text: 'soft delete', disposition: 'automated' },
    { id: 'SM-1.1-b', section: '§1.1 Primary vault', text: 'purge protection', disposition: 'automated' },
    { id: 'SM-1.2-a', section: '§1.2 Replication', text: 'replicate', disposition: 'automated' },
    { id: 'SM-3-a', section: '§3 Process', text: 'failover record', disposition: 'evidenced' },
    { id: 'SM-3-b', section: '§3 Process', text: 'drill record', disposition: 'evidenced' },
    { id: 'SM-9-a', section: '§9 Training', text: 'people are trained', disposition: 'out-of-scope', reason: 'not observable in a vault' },
    { id: 'SM-9-b', section: '§9 Training', text: 'nobody judges this yet', disposition: 'automated' },
  ],
};

const rules = [
  { id: 'VP-CFG-001', requirements: ['SM-1.1-a', 'SM-1.1-b'] },
  { id: 'VP-AZ-001', requirements: ['SM-1.1-a'] },
  { id: 'VP-REP-001', requirements: ['SM-1.2-a'] },
  { id: 'VP-PRC-001', requirements: ['SM-3-a'] },
  { id: 'VP-PRC-002', requirements: ['SM-3-b'] },
  { id: 'VP-WVR-001', requirements: ['SM-404-z'] },
];

function finding(rule_id: string, status: FindingStatus, id = `${rule_id}-${status}`, vault = 'kv', type: Finding['resource']['type'] = 'vault'): Finding {
  return {
    rule_id, title: rule_id, control: 'secrets-management §1', severity: 'high', status,
    resource: { provider: 'azure-keyvault', vault, type, id, path: '' },
    metric: { name: 'M', value: 1, op: '==', threshold: 1 }, message: 'm', remediation: 'r', fingerprint: id,
  };
}

function statuses(findings: Finding[], complete = true): Record<string, RequirementStatus> {
  const map = complianceMap(catalog, rules, { findings, scan: { complete } });
  return Object.fromEntries(mapRequirements(map).map((r) => [r.id, r.status]));
}

describe('complianceMap', () => {
  it('gives every status, each for its reason', () => {
    const map = complianceMap(catalog, rules, {
      scan: { complete: true },
      findings: [
        finding('VP-CFG-001', 'pass', 'a'), finding('VP-CFG-001', 'pass', 'b'),
        finding('VP-AZ-001', 'waived'),
        finding('VP-REP-001', 'fail'), finding('VP-REP-001', 'pass'),
        finding('VP-PRC-001', 'error'),
        finding('VP-PRC-002', 'error'), finding('VP-PRC-002', 'pass'),
      ],
    });
    const got = Object.fromEntries(mapRequirements(map).map((r) => [r.id, [r.status, r.counts, r.rules.map((x) => x.rule_id)]]));
    expect(got).toEqual({
      'SM-1.1-a': ['waived', { pass: 2, fail: 0, error: 0, waived: 1 }, ['VP-AZ-001', 'VP-CFG-001']],
      'SM-1.1-b': ['compliant', { pass: 2, fail: 0, error: 0, waived: 0 }, ['VP-CFG-001']],
      'SM-1.2-a': ['non-compliant', { pass: 1, fail: 1, error: 0, waived: 0 }, ['VP-REP-001']],
      'SM-3-a': ['not-evidenced', { pass: 0, fail: 0, error: 1, waived: 0 }, ['VP-PRC-001']],
      'SM-3-b': ['error', { pass: 1, fail: 0, error: 1, waived: 0 }, ['VP-PRC-002']],
      'SM-9-a': ['out-of-scope', { pass: 0, fail: 0, error: 0, waived: 0 }, []],
      'SM-9-b': ['error', { pass: 0, fail: 0, error: 0, waived: 0 }, []],
    });
    expect(mapRequirements(map).find((r) => r.id === 'SM-9-a')?.reason).toBe('not observable in a vault');
    expect(mapRequirements(map).find((r) => r.id === 'SM-9-b')?.reason).toMatch(/no rule/);
    expect(map.summary).toEqual({ requirements: 7, compliant: 1, waived: 1, 'non-compliant': 1, 'not-evidenced': 1, error: 2, 'out-of-scope': 1 });
    expect(map.sections.map((s) => [s.section, s.requirements.length])).toEqual([['§1.1 Primary vault', 2], ['§1.2 Replication', 1], ['§3 Process', 2], ['§9 Training', 2]]);
    expect(map.unknown_requirements).toEqual([{ rule_id: 'VP-WVR-001', requirement: 'SM-404-z' }]);
  });

  it('is not compliant when a rule behind the requirement has no finding', () => {
    // VP-AZ-001 judges SM-1.1-a too but reported nothing: SM-1.1-a is error, SM-1.1-b (VP-CFG-001 only) compliant.
    const s = statuses([finding('VP-CFG-001', 'pass')]);
    expect(s['SM-1.1-a']).toBe('error');
    expect(s['SM-1.1-b']).toBe('compliant');
  });

  it('is not compliant on an incomplete scan, and a failure still shows', () => {
    const s = statuses([finding('VP-CFG-001', 'pass'), finding('VP-AZ-001', 'pass'), finding('VP-REP-001', 'fail')], false);
    expect(s['SM-1.1-a']).toBe('error');
    expect(s['SM-1.1-b']).toBe('error');
    expect(s['SM-1.2-a']).toBe('non-compliant');
  });

  it('reports an evidenced requirement with a failing record non-compliant, not "not evidenced"', () => {
    expect(statuses([finding('VP-PRC-001', 'error', 'x'), finding('VP-PRC-001', 'fail', 'y')])['SM-3-a']).toBe('non-compliant');
    // An automated requirement whose findings are all error is an error, not "not evidenced".
    expect(statuses([finding('VP-REP-001', 'error')])['SM-1.2-a']).toBe('error');
  });
});

describe('vaultBreakdown', () => {
  it('judges each vault by the rules that report on it, and leaves fleet findings to the fleet map', () => {
    const byVault = vaultBreakdown(catalog, rules, {
      scan: { complete: true },
      findings: [
        finding('VP-CFG-001', 'pass', 'a', 'kv-a'), finding('VP-AZ-001', 'pass', 'b', 'kv-a', 'secret'),
        finding('VP-CFG-001', 'fail', 'c', 'kv-b'), finding('VP-PRC-001', 'error', 'd', 'kv-b'),
        // A replication pair is not a vault of its own.
        finding('VP-REP-001', 'fail', 'e', 'kv-a, kv-b', 'replication'),
      ],
    });
    expect(byVault.map((v) => [v.vault, Object.fromEntries(v.requirements.map((r) => [r.id, r.status]))])).toEqual([
      ['kv-a', { 'SM-1.1-a': 'compliant', 'SM-1.1-b': 'compliant' }],
      // VP-AZ-001 reports nothing on kv-b: it does not apply there, so SM-1.1-a rests on VP-CFG-001 alone.
      ['kv-b', { 'SM-1.1-a': 'non-compliant', 'SM-1.1-b': 'non-compliant', 'SM-3-a': 'not-evidenced' }],
    ]);
    expect(byVault[1]!.summary).toMatchObject({ requirements: 3, 'non-compliant': 2, 'not-evidenced': 1, compliant: 0 });
    // Incomplete scan: no vault is compliant.
    expect(vaultBreakdown(catalog, rules, { scan: { complete: false }, findings: [finding('VP-CFG-001', 'pass', 'a', 'kv-a'), finding('VP-AZ-001', 'pass', 'b', 'kv-a')] })[0]!.summary.compliant).toBe(0);
  });
});

const DISPOSITION = fc.constantFrom<Disposition>('automated', 'evidenced');
const countsArb = fc.record({ pass: fc.nat(4), fail: fc.nat(4), error: fc.nat(4), waived: fc.nat(4) });
const rulesArb: fc.Arbitrary<RuleCounts[]> = fc.array(countsArb, { minLength: 1, maxLength: 4 }).map((cs) => cs.map((counts, i) => ({ rule_id: `VP-T-00${i}`, counts })));

/** Compliant > waived > the rest: how close to compliant a status is. */
const GOOD: Record<RequirementStatus, number> = { compliant: 2, waived: 1, 'non-compliant': 0, 'not-evidenced': 0, error: 0, 'out-of-scope': 0 };

describe('counted findings', () => {
  it('give the map and the vault breakdown of the findings they stand for', () => {
    const statuses: FindingStatus[] = ['pass', 'fail', 'waived', 'error'];
    const ruleIds = rules.map((r) => r.id);
    fc.assert(
      fc.property(
        fc.array(fc.record({ rule: fc.constantFrom(...ruleIds), status: fc.constantFrom(...statuses), vault: fc.constantFrom('kv-a', 'kv-b', 'kv-c'), onVault: fc.boolean() }), { maxLength: 60 }),
        fc.boolean(),
        (drawn, complete) => {
          const findings = drawn.map((d, i) => finding(d.rule, d.status, `r${i}`, d.vault, d.onVault ? 'vault' : 'secret'));
          const counted = new Map<string, { rule_id: string; status: FindingStatus; resource: { vault: string; type: string }; count: number }>();
          for (const f of findings) {
            const key = `${f.rule_id}|${f.status}|${f.resource.vault}|${f.resource.type}`;
            const c = counted.get(key);
            if (c) c.count++;
            else counted.set(key, { rule_id: f.rule_id, status: f.status, resource: { vault: f.resource.vault, type: f.resource.type }, count: 1 });
          }
          const whole = { findings, scan: { complete } };
          const grouped = { findings: [...counted.values()].reverse(), scan: { complete } };
          expect(complianceMap(catalog, rules, grouped)).toEqual(complianceMap(catalog, rules, whole));
          expect(vaultBreakdown(catalog, rules, grouped)).toEqual(vaultBreakdown(catalog, rules, whole));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('requirementStatus properties', () => {
  it('adding a failing finding to any rule makes the requirement non-compliant, never compliant', () => {
    fc.assert(fc.property(DISPOSITION, rulesArb, fc.nat(), fc.boolean(), (d, rs, pick, complete) => {
      const i = pick % rs.length;
      const more = rs.map((r, j) => (j === i ? { ...r, counts: { ...r.counts, fail: r.counts.fail + 1 } } : r));
      expect(requirementStatus(d, more, complete).status).toBe('non-compliant');
    }));
  });

  it('compliant only when every rule has findings, all pass, on a complete scan', () => {
    fc.assert(fc.property(DISPOSITION, rulesArb, fc.boolean(), (d, rs, complete) => {
      const { status } = requirementStatus(d, rs, complete);
      const allPass = rs.every((r) => r.counts.pass > 0 && r.counts.fail + r.counts.error + r.counts.waived === 0);
      expect(status === 'compliant').toBe(complete && allPass);
      expect(REQUIREMENT_STATUSES).toContain(status);
    }));
  });

  it('turning a pass into an error, dropping a rule\'s findings or losing completeness never moves toward compliant', () => {
    fc.assert(fc.property(DISPOSITION, rulesArb, fc.nat(), fc.constantFrom('error', 'drop', 'incomplete'), (d, rs, pick, how) => {
      const before = requirementStatus(d, rs, true).status;
      const i = pick % rs.length;
      const r = rs[i]!;
      const after = how === 'incomplete'
        ? requirementStatus(d, rs, false).status
        : requirementStatus(d, rs.map((x, j) => (j !== i ? x : how === 'drop' ? { ...x, counts: { pass: 0, fail: 0, error: 0, waived: 0 } } : r.counts.pass > 0 ? { ...x, counts: { ...x.counts, pass: x.counts.pass - 1, error: x.counts.error + 1 } } : x)), true).status;
      expect(GOOD[after]).toBeLessThanOrEqual(GOOD[before]);
    }));
  });

  it('an out-of-scope requirement is out of scope whatever its rules say', () => {
    fc.assert(fc.property(rulesArb, fc.boolean(), (rs, complete) => {
      expect(requirementStatus('out-of-scope', rs, complete, 'why').status).toBe('out-of-scope');
    }));
  });
});
