/**
 * The review's findings and the month-over-month diff on the demo fleet (October -> November): the
 * rulebook's access rules come from the engine unchanged, the review's own rules (VP-REV-00x) judge
 * the matrix, and every kind of grant change is found.
 */
import { loadBundle } from '../../src/engine/bundle.js';
import { Engine } from '../../src/engine/evaluate.js';
import type { Finding } from '../../src/findings/types.js';
import type { ReviewDocument } from '../../src/review/types.js';
import { asPrevious, november, october, review } from './helpers.js';

const HV = 'hashicorp-vault:vault-weu';
const statuses = (doc: ReviewDocument, rule: string) => Object.fromEntries(doc.findings.filter((f) => f.rule_id === rule).map((f) => [f.resource.id, f.status]));
const failing = (doc: ReviewDocument, rule: string) => doc.findings.filter((f) => f.rule_id === rule && f.status === 'fail').map((f) => f.resource.path || f.resource.id).sort();

describe('review findings on the demo fleet', () => {
  let oct: ReviewDocument;
  let nov: ReviewDocument;
  beforeAll(async () => {
    oct = await review(october());
    nov = await review(november(), { config: { roster: ['aad:mi-orchestrator', 'aad:platform-admins', 'aad:user-a.berg', 'aad:sp-jamf-connector'] }, previous: asPrevious(oct) });
  });

  it('takes the access family from the engine, unchanged and complete', async () => {
    const engine = await Engine.create(loadBundle());
    const expected = engine.evaluate(november(), { toolVersion: 't' }).findings.filter((f) => f.rule_id.startsWith('VP-ACC-'));
    const got = nov.findings.filter((f) => f.rule_id.startsWith('VP-ACC-'));
    expect(got).toEqual(expected);
    expect(new Set(got.map((f) => f.rule_id))).toEqual(new Set(['VP-ACC-001', 'VP-ACC-002', 'VP-ACC-003', 'VP-ACC-004', 'VP-ACC-005', 'VP-ACC-006']));
    expect(got.find((f) => f.rule_id === 'VP-ACC-003' && f.status === 'fail')?.message).toBe("'release-bot' can use both signing-key + publish-credential (in kv-packaging-weu)");
  });

  it('VP-REV-001: writes outside the principal\'s subsystem', () => {
    expect(failing(nov, 'VP-REV-001')).toEqual(['*']);
    const f = nov.findings.find((x) => x.rule_id === 'VP-REV-001' && x.status === 'fail') as Finding;
    expect(f.message).toMatch(/^connectors\/landscape principal 'landscape-connector' can write 18 object\(s\) of other subsystems through '\*': project\/connectors\/ansible\/tower-token-dev/);
    expect(f.metric).toEqual({ name: 'OutsideSubsystemWrite', value: 18, op: '==', threshold: 0 });
    // Platform admins pass; the packaging pipeline writes only packaging paths.
    expect(nov.findings.filter((x) => x.rule_id === 'VP-REV-001' && x.status === 'pass').length).toBe(9);
    expect(failing(oct, 'VP-REV-001')).toEqual([]);
  });

  it('VP-REV-002: dormant principals where activity was collected, error where it was not', () => {
    // t.hale made no request in October, but holds access on kv-connectors-neu, whose audit log the
    // October facts do not cover: a request there would not have been seen, so no fail (issue 15).
    expect(failing(oct, 'VP-REV-002')).toEqual([]);
    const hale = oct.findings.find((f) => f.rule_id === 'VP-REV-002' && f.resource.id === 'aad:user-t.hale') as Finding;
    expect(hale.status).toBe('error');
    expect(hale.message).toBe("'t.hale@partner.example' made no request seen in the 31-day window, but its activity cannot be judged: the audit log of kv-connectors-neu was not read");
    expect(Object.values(statuses(oct, 'VP-REV-002')).filter((s) => s === 'pass')).toHaveLength(20);
    expect(new Set(Object.values(statuses(nov, 'VP-REV-002')))).toEqual(new Set(['error']));
    expect(nov.notes).toContain('no per-principal audit activity in the snapshot (events.principal_activity): dormant principals could not be judged and show as error');
  });

  it('VP-REV-003: wildcard grants reaching data, admins excepted', () => {
    expect(failing(nov, 'VP-REV-003')).toEqual(['*', '*', 'secret/*', 'secret/project/*']);
    const names = nov.findings.filter((f) => f.rule_id === 'VP-REV-003' && f.status === 'fail').map((f) => f.message.split("'")[1]).sort();
    expect(names).toEqual(['cab-portal', 'kubernetes role siem-collector (auth/kubernetes/)', 'landscape-connector', 'ops-legacy']);
    // October: the contractors' subscription-wide assignment fails on each vault, r.ito's glob too.
    expect(oct.findings.filter((f) => f.rule_id === 'VP-REV-003' && f.status === 'fail' && f.message.startsWith("'Contractors (external)'"))).toHaveLength(5);
    expect(statuses(oct, 'VP-REV-003')[`${HV}|${HV}:entity:r.ito|secret/*|ops-legacy`]).toBe('fail');
  });

  it('VP-REV-004: principals holding access that are not on the roster (only when a roster is configured)', () => {
    const st = statuses(nov, 'VP-REV-004');
    expect(Object.entries(st).filter(([, s]) => s === 'pass').map(([id]) => id).sort()).toEqual(['aad:mi-orchestrator', 'aad:platform-admins', 'aad:sp-jamf-connector', 'aad:user-a.berg']);
    expect(st['aad:sp-release-bot']).toBe('fail');
    expect(st[`${HV}:group:ops-legacy`]).toBe('fail');
    expect(oct.findings.some((f) => f.rule_id === 'VP-REV-004')).toBe(false);
    expect(oct.notes).toContain('no roster configured (review.roster in vaultproof.yaml): principals were not checked against one');
  });

  it('findings keep the findings contract: sorted, fingerprinted, summarised', () => {
    const keys = nov.findings.map((f) => `${f.rule_id}\u0000${f.resource.id}`);
    expect([...keys].sort()).toEqual(keys);
    expect(new Set(keys).size).toBe(keys.length);
    for (const f of nov.findings) expect(f.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(nov.summary.evaluated).toBe(nov.findings.length);
    expect(nov.summary.fail).toBe(nov.findings.filter((f) => f.status === 'fail').length);
  });

  it('diffs October against November: added, removed, widened, narrowed, principals new and gone', () => {
    const d = nov.diff!;
    expect(d.previous.review_id).toBe(oct.review_id);
    expect(d.counts).toEqual({ added: 2, removed: 6, widened: 2, narrowed: 1, changed: 0, principals_new: 1, principals_gone: 3 });
    const by = (change: string) => d.grants.filter((g) => g.change === change).map((g) => `${g.principal_name} @ ${g.vault_name}: ${g.detail}`);
    expect(by('added')).toEqual([
      "release-bot @ kv-packaging-weu: list-metadata, read-value on 'project/packaging/publish/*' added",
      "store-publisher @ kv-packaging-weu: list-metadata, read-value on 'project/packaging/publish/*' added",
    ]);
    expect(by('widened')).toEqual([
      "landscape-connector @ kv-connectors-weu: gained write; scope 'project/connectors/landscape/*' -> '*'",
      'ops-legacy @ vault-weu: exception(s) removed: secret/project/control-plane/*',
    ]);
    expect(by('narrowed')).toEqual(["api-gateway (managed identity) @ kv-platform-weu: scope 'project/control-plane/*' -> 'project/control-plane/api-gateway*'"]);
    expect(by('removed').filter((x) => x.startsWith('Contractors (external)'))).toHaveLength(5);
    expect(by('removed')).toContain("r.ito @ vault-weu: list-metadata, read-value on 'secret/*' removed");
    expect(d.principals_new).toEqual([{ id: 'aad:sp-store-publisher', name: 'store-publisher' }]);
    expect(d.principals_gone.map((p) => p.name)).toEqual(['Contractors (external)', 't.hale@partner.example', 'r.ito']);
  });

  it('is deterministic: the same inputs give the same document', async () => {
    const again = await review(november(), { config: { roster: ['aad:mi-orchestrator', 'aad:platform-admins', 'aad:user-a.berg', 'aad:sp-jamf-connector'] }, previous: asPrevious(oct) });
    expect(JSON.stringify(again)).toBe(JSON.stringify(nov));
  });
});
