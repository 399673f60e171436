/**
 * Issue 15, "the standard can be loosened without a trace": every threshold is checked against the
 * standard's limits at every depth, a setting looser than the standard needs an approved deviation,
 * a deviation that approves nothing is refused, and the thresholds, the config's digest and the
 * deviations are recorded in the findings document, the signed statement, summary.md and index.html.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/main.js';
import { checkStandard } from '../../src/config/deviations.js';
import { loadConfig } from '../../src/config/load.js';
import { THRESHOLD_LIMITS } from '../../src/config/threshold-limits.js';
import { validateThresholds } from '../../src/config/thresholds.js';
import { InputError } from '../../src/util/input-error.js';
import { fakeConsole } from '../support/fake-console.js';
import { requireBuiltBundle } from '../support/prerequisites.js';

const STANDARD = (JSON.parse(readFileSync('policies/data/defaults.json', 'utf8')) as { thresholds: Record<string, unknown> }).thresholds;
const NOW = Date.parse('2026-11-29T00:00:00Z') / 1000;
const APPROVERS = 'approved_by: [alice@example.com, bob@example.com]';

let work: string;
beforeAll(() => {
  requireBuiltBundle();
  work = mkdtempSync(join(tmpdir(), 'vp-standard-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

let n = 0;
function file(text: string): string {
  const f = join(work, `c${n++}.yaml`);
  writeFileSync(f, text);
  return f;
}

/** loadConfig then the standard check, as `scan`/`evaluate` run them: the InputError, or undefined when accepted. */
function problem(text: string): InputError | undefined {
  const f = file(text);
  try {
    checkStandard(loadConfig(f), { file: f, standard: STANDARD, now: NOW });
    return undefined;
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
}

/** `scan --demo --config` with the given config: exit code and the one stderr line. */
async function scanDemo(text: string, extra: string[] = []): Promise<{ code: number; stderr: string; file: string }> {
  const f = file(text);
  const io = fakeConsole();
  const code = await run(['scan', '--demo', '--config', f, '--format', 'json', '--out', join(work, `out${n}.json`), ...extra], io);
  return { code, stderr: io.stderr, file: f };
}

describe('the scenarios of issue 15 are refused with one line and exit 2', () => {
  it.each([
    ['separation_of_duties emptied (every SeparationOfDuties finding vanished)', 'thresholds: { separation_of_duties: [] }', '$.thresholds.separation_of_duties: drops ["signing-key","publish-credential"]'],
    ['break_glass_paths emptied (every BreakGlassDualApproval finding vanished)', 'thresholds: { break_glass_paths: [] }', '$.thresholds.break_glass_paths: drops "EmergencyAccess*"'],
    ['rotation_days 3650 (failures turned into passes)', 'thresholds: { rotation_days: { api-token: 3650 } }', '$.thresholds.rotation_days["api-token"]: 3650 days is above the standard\'s 60'],
    ['audit_retention_days 1 (failures turned into passes)', 'thresholds: { audit_retention_days: 1 }', '$.thresholds.audit_retention_days: 1 days is below the standard\'s 730'],
    ['break_glass_min_approvers 0', 'thresholds: { break_glass_min_approvers: 0 }', '$.thresholds.break_glass_min_approvers: expected a whole number of approvers from 1 to 10, found 0'],
    ['break_glass_min_approvers -5', 'thresholds: { break_glass_min_approvers: -5 }', '$.thresholds.break_glass_min_approvers: expected a whole number of approvers from 1 to 10, found -5'],
    ['break_glass_min_approvers 1e400 (Infinity, reaching the policy as null)', 'thresholds: { break_glass_min_approvers: 1e400 }', '$.thresholds.break_glass_min_approvers: expected a finite number, found Infinity'],
    ['a typo inside allowed_auth_methods (control_plane)', 'thresholds: { allowed_auth_methods: { control_plane: [certificate] } }', '$.thresholds.allowed_auth_methods.control_plane: "control_plane" is not a subsystem of the standard'],
    ['a typo inside subsystems (connectors/intnue)', 'thresholds: { subsystems: { connectors/intnue: { rotation_days: { sp-certificate: 30 } } } }', '$.thresholds.subsystems["connectors/intnue"]: "connectors/intnue" is not a subsystem of the standard'],
  ])('%s', async (_name, yaml, expected) => {
    const r = await scanDemo(`version: 1\n${yaml}\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`vaultproof: error: ${r.file}: ${expected}${r.stderr.slice(`vaultproof: error: ${r.file}: ${expected}`.length)}`);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('thresholds are checked at every depth against the standard\'s limits', () => {
  it.each([
    ['a credential type typo under rotation_days', 'thresholds: { rotation_days: { api_token: 30 } }', '$.thresholds.rotation_days.api_token', 'is not a credential type'],
    ['a setting typo under a subsystem', 'thresholds: { subsystems: { connectors/jamf: { rotation_dayz: { api-token: 30 } } } }', '$.thresholds.subsystems["connectors/jamf"].rotation_dayz', 'is not a setting here (expected rotation_days)'],
    ['a credential type typo under a subsystem', 'thresholds: { subsystems: { connectors/jamf: { rotation_days: { api-tokn: 30 } } } }', '$.thresholds.subsystems["connectors/jamf"].rotation_days["api-tokn"]', 'is not a credential type'],
    ['an auth method typo', 'thresholds: { allowed_auth_methods: { connectors: [certificat] } }', '$.thresholds.allowed_auth_methods.connectors[0]', 'expected one of managed-identity'],
    ['an unknown key curve', 'thresholds: { allowed_key_curves: [P-256, P-999] }', '$.thresholds.allowed_key_curves[1]', 'expected one of P-256, P-384, P-521, P-256K'],
    ['a separation-of-duties pair of one type', 'thresholds: { separation_of_duties: [[signing-key, signing-key]] }', '$.thresholds.separation_of_duties[0]', 'expected a pair of two different credential types'],
    ['a fractional day count', 'thresholds: { audit_hold_days: 7.5 }', '$.thresholds.audit_hold_days', 'expected a whole number of days from 1 to 365, found 7.5'],
    ['a value past the sane bound', 'thresholds: { rotation_days: { api-token: 3651 } }', '$.thresholds.rotation_days["api-token"]', 'from 1 to 3650'],
    ['a certificate key type Key Vault does not have', 'thresholds: { allowed_certificate_key_types: [RSA, oct] }', '$.thresholds.allowed_certificate_key_types[1]', 'expected one of RSA, RSA-HSM, EC, EC-HSM'],
    ['a certificate expiry window past a year', 'thresholds: { certificate_min_remaining_days: 366 }', '$.thresholds.certificate_min_remaining_days', 'expected a whole number of days from 0 to 365, found 366'],
    ['a negative lag', 'thresholds: { replication_lag_minutes: -1 }', '$.thresholds.replication_lag_minutes', 'expected a number of minutes from 0 to 1440, found -1'],
    ['.nan', 'thresholds: { replication_lag_minutes: .nan }', '$.thresholds.replication_lag_minutes', 'expected a finite number, found NaN'],
    ['a blank break-glass pattern', 'thresholds: { break_glass_paths: ["EmergencyAccess*", "  "] }', '$.thresholds.break_glass_paths[1]', 'expected a non-empty string'],
    ['an unknown top-level threshold', 'thresholds: { rotation_dayz: 3 }', '$.thresholds.rotation_dayz', 'is not a threshold the rules use'],
  ])('rejects %s naming the path and what was expected', (_name, yaml, path, detail) => {
    const e = problem(`version: 1\n${yaml}\n`);
    expect(e?.path).toBe(path);
    expect(e?.detail).toContain(detail);
  });

  it('accepts a subsystem the config declares itself (known_subsystems, principals) but not a glob match of a typo', () => {
    expect(problem('version: 1\nprincipals:\n  - match: "ops-*"\n    subsystem: operations\nthresholds: { subsystems: { operations: { rotation_days: { api-token: 30 } } } }\n')).toBeUndefined();
    // connectors/* in known_subsystems does not make every connectors/<typo> a subsystem.
    expect(problem('version: 1\nthresholds: { subsystems: { connectors/jamff: { rotation_days: { api-token: 30 } } } }\n')?.path).toBe('$.thresholds.subsystems["connectors/jamff"]');
  });

  it('reports a principals block of the wrong shape through the schema instead of failing while reading subsystem names', () => {
    expect(problem('version: 1\nprincipals: { a: 1 }\nthresholds: { subsystems: { control-plane: {} } }\n')?.path).toBe('$.principals');
  });

  it('covers exactly the thresholds of policies/data/defaults.json, and the standard itself passes its own limits', () => {
    expect(Object.keys(THRESHOLD_LIMITS).sort()).toEqual(Object.keys(STANDARD).sort());
    expect(() => validateThresholds(STANDARD, { file: 'defaults.json', declaredSubsystems: new Set() })).not.toThrow();
    // The standard's values written out in full are not looser than the standard.
    expect(problem(`version: 1\nthresholds: ${JSON.stringify(STANDARD)}\n`)).toBeUndefined();
  });
});

describe('settings looser than the standard need a deviation; stricter ones do not', () => {
  it.each([
    ['a shorter rotation interval', 'rotation_days: { api-token: 45 }'],
    ['a longer audit retention', 'audit_retention_days: 2555'],
    ['three break-glass approvers', 'break_glass_min_approvers: 3'],
    ['an extra break-glass pattern', 'break_glass_paths: ["EmergencyAccess*", "**/EmergencyAccess*", "break-glass*", "**/break-glass*", "**/break-glass/**", "**/firecall/**"]'],
    ['fewer allowed curves', 'allowed_key_curves: [P-384]'],
    ['a longer certificate expiry warning window', 'certificate_min_remaining_days: 45'],
    ['a shorter key validity', 'key_max_validity_days: 90'],
    ['unclassified objects aged after 180 days', 'unclassified_max_active_days: 180'],
    ['a longer key expiry warning window', 'key_min_remaining_days: 60'],
    ['RSA certificates only in an HSM', 'allowed_certificate_key_types: [RSA-HSM]'],
    ['HSM keys only', 'allowed_key_types: [RSA-HSM, EC-HSM]'],
    ['integrated CAs only (no certificate from outside Key Vault)', 'allowed_certificate_issuers: [DigiCert, GlobalSign]'],
    ['an extra SoD pair', 'separation_of_duties: [[publish-credential, signing-key], [admin-key, scanner-token]]'],
    ['a stricter subsystem interval', 'subsystems: { connectors/intune: { rotation_days: { sp-certificate: 60 } } }'],
    ['a rotation interval for generic secrets (the standard sets none)', 'rotation_days: { generic: 365 }'],
    ['auth methods for a subsystem the standard does not restrict', 'allowed_auth_methods: { packaging: [managed-identity] }'],
  ])('accepts %s without a deviation', (_name, yaml) => {
    expect(problem(`version: 1\nthresholds: { ${yaml} }\n`)).toBeUndefined();
  });

  it.each([
    ['no rotation limit (null) for a type the standard limits', 'rotation_days: { api-token: null }', '$.thresholds.rotation_days["api-token"]', 'null (no limit)'],
    ['a client secret allowed to the control plane', 'allowed_auth_methods: { control-plane: [managed-identity, client-secret] }', '$.thresholds.allowed_auth_methods["control-plane"]', 'adds "client-secret"'],
    ['a connector wider than its family', 'allowed_auth_methods: { connectors/jamf: [client-secret] }', '$.thresholds.allowed_auth_methods["connectors/jamf"]', 'adds "client-secret"'],
    ['a subsystem interval above the type\'s', 'subsystems: { connectors/jamf: { rotation_days: { api-token: 90 } } }', '$.thresholds.subsystems["connectors/jamf"].rotation_days["api-token"]', '90 days is above the standard\'s 60'],
    ['one break-glass approver', 'break_glass_min_approvers: 1', '$.thresholds.break_glass_min_approvers', '1 approvers is below the standard\'s 2'],
    ['an extra admin policy pattern', 'admin_policies: [admin, "platform-admin*", "ops-*"]', '$.thresholds.admin_policies', 'adds "ops-*"'],
    ['an extra known subsystem', 'known_subsystems: [control-plane, packaging, cab, "connectors/*", shared]', '$.thresholds.known_subsystems', 'adds "shared"'],
    ['no key type required in an HSM', 'hsm_required_key_types: [signing-key]', '$.thresholds.hsm_required_key_types', 'drops "*"'],
    ['self-signed certificates allowed', 'allowed_certificate_issuers: [DigiCert, GlobalSign, Unknown, Self]', '$.thresholds.allowed_certificate_issuers', 'adds "Self"'],
    ['symmetric keys allowed', 'allowed_key_types: [RSA, RSA-HSM, EC, EC-HSM, oct-HSM]', '$.thresholds.allowed_key_types', 'adds "oct-HSM"'],
    ['EC certificates allowed', 'allowed_certificate_key_types: [RSA, RSA-HSM, EC]', '$.thresholds.allowed_certificate_key_types', 'adds "EC"'],
    ['unclassified objects aged after two years', 'unclassified_max_active_days: 730', '$.thresholds.unclassified_max_active_days', '730 days is above the standard\'s 365'],
    ['a longer key validity', 'key_max_validity_days: 730', '$.thresholds.key_max_validity_days', '730 days is above the standard\'s 365'],
    ['a shorter key expiry warning window', 'key_min_remaining_days: 7', '$.thresholds.key_min_remaining_days', '7 days is below the standard\'s 30'],
    ['a shorter certificate expiry warning window', 'certificate_min_remaining_days: 7', '$.thresholds.certificate_min_remaining_days', '7 days is below the standard\'s 30'],
  ])('refuses %s', (_name, yaml, path, detail) => {
    const e = problem(`version: 1\nthresholds: { ${yaml} }\n`);
    expect(e?.path).toBe(path);
    expect(e?.detail).toContain(detail);
    expect(e?.detail).toContain('or approve it under deviations:');
  });

  const deviation = (threshold: string, value: string, more = '') => `deviations:\n  - threshold: ${threshold}\n    value: ${value}\n    reason: "Vendor cannot rotate faster; case 4711"\n    ${APPROVERS}\n${more}`;

  it('accepts a looser value with a matching deviation', () => {
    expect(problem(`version: 1\nthresholds: { rotation_days: { api-token: 90 } }\n${deviation('rotation_days.api-token', '90')}`)).toBeUndefined();
    expect(problem(`version: 1\nthresholds: { separation_of_duties: [] }\n${deviation('separation_of_duties', '[]')}`)).toBeUndefined();
    expect(problem(`version: 1\nthresholds: { subsystems: { connectors/jamf: { rotation_days: { api-token: 90 } } } }\n${deviation('subsystems.connectors/jamf.rotation_days.api-token', '90')}`)).toBeUndefined();
  });

  it.each([
    ['a deviation for a stricter value (stale)', 'thresholds: { rotation_days: { api-token: 45 } }\n' + deviation('rotation_days.api-token', '45'), '$.deviations[0].threshold', 'stale deviation'],
    ['a deviation for a setting the config does not make (stale)', deviation('rotation_days.api-token', '90'), '$.deviations[0].threshold', 'stale deviation'],
    ['a deviation for a path that is no threshold (stale)', 'thresholds: { rotation_days: { api-token: 90 } }\n' + deviation('rotation_days.api-token', '90') + '  - threshold: rotation_dayz\n    value: 1\n    reason: "a typo of a threshold name"\n    ' + APPROVERS + '\n', '$.deviations[1].threshold', 'stale deviation'],
    ['a deviation approving another value', 'thresholds: { rotation_days: { api-token: 120 } }\n' + deviation('rotation_days.api-token', '90'), '$.deviations[0].value', 'expected 120'],
    ['two deviations for one threshold', 'thresholds: { rotation_days: { api-token: 90 } }\n' + deviation('rotation_days.api-token', '90') + '  - threshold: rotation_days.api-token\n    value: 90\n    reason: "the same approval written twice"\n    ' + APPROVERS + '\n', '$.deviations[1].threshold', 'already has a deviation'],
    ['one approver written twice in two cases', 'thresholds: { rotation_days: { api-token: 90 } }\ndeviations:\n  - threshold: rotation_days.api-token\n    value: 90\n    reason: "Vendor cannot rotate faster; case 4711"\n    approved_by: [alice@example.com, Alice@Example.com]\n', '$.deviations[0].approved_by', 'at least two distinct approvers'],
    ['a blank reason', 'thresholds: { rotation_days: { api-token: 90 } }\ndeviations:\n  - threshold: rotation_days.api-token\n    value: 90\n    reason: "          "\n    ' + APPROVERS + '\n', '$.deviations[0].reason', 'expected a value that'],
    ['a deviation without approvers', 'thresholds: { rotation_days: { api-token: 90 } }\ndeviations:\n  - threshold: rotation_days.api-token\n    value: 90\n    reason: "Vendor cannot rotate faster; case 4711"\n', '$.deviations[0].approved_by', 'is required'],
    ['an expired deviation', 'thresholds: { rotation_days: { api-token: 90 } }\n' + deviation('rotation_days.api-token', '90', '    expires: 2026-11-28\n'), '$.deviations[0].expires', 'expired on 2026-11-28'],
  ])('refuses %s', (_name, yaml, path, detail) => {
    const e = problem(`version: 1\n${yaml}`);
    expect(e?.path).toBe(path);
    expect(e?.detail).toContain(detail);
  });
});

describe('an approved deviation is recorded everywhere the scan is reported', () => {
  const config = `version: 1\nthresholds:\n  rotation_days: { api-token: 90 }\n  audit_retention_days: 365\ndeviations:\n  - threshold: rotation_days.api-token\n    value: 90\n    reason: "Jamf cannot rotate its API clients faster (vendor case 4711)"\n    ${APPROVERS}\n    ticket: CHG-5001\n    expires: 2027-02-01\n  - threshold: audit_retention_days\n    value: 365\n    reason: "SIEM contract renewal pending, retention raised in Q1"\n    approved_by: [carol@example.com, dave@example.com]\n`;
  const recorded = [
    { threshold: 'rotation_days.api-token', standard: 60, value: 90, reason: 'Jamf cannot rotate its API clients faster (vendor case 4711)', approved_by: ['alice@example.com', 'bob@example.com'], ticket: 'CHG-5001', expires: '2027-02-01' },
    { threshold: 'audit_retention_days', standard: 730, value: 365, reason: 'SIEM contract renewal pending, retention raised in Q1', approved_by: ['carol@example.com', 'dave@example.com'] },
  ];

  it('in findings.json (both evaluation paths, byte-identical twice), the signed statement, summary.md and index.html', async () => {
    const f = file(config);
    const digest = createHash('sha256').update(readFileSync(f)).digest('hex');
    const keys = join(work, 'keys');
    expect(await run(['keygen', keys], fakeConsole())).toBe(0);

    // The bounded-memory JSON path, twice.
    const outs = [join(work, 'a.json'), join(work, 'b.json')];
    for (const out of outs) {
      const code = await run(['scan', '--demo', '--config', f, '--format', 'json', '--out', out, '--allow-incomplete'], fakeConsole());
      expect([0, 1]).toContain(code);
    }
    const text = readFileSync(outs[0] as string, 'utf8');
    expect(readFileSync(outs[1] as string, 'utf8')).toBe(text);
    const doc = JSON.parse(text) as { scan: Record<string, unknown> };
    expect(doc.scan.config_sha256).toBe(digest);
    expect(doc.scan.deviations).toEqual(recorded);
    expect((doc.scan.thresholds as { rotation_days: Record<string, unknown> }).rotation_days['api-token']).toBe(90);
    expect((doc.scan.thresholds as Record<string, unknown>).audit_retention_days).toBe(365);
    expect((doc.scan.thresholds as Record<string, unknown>).break_glass_min_approvers).toBe(2);

    // The in-memory path (evidence pack) writes the same document.
    const pack = join(work, 'pack');
    const io = fakeConsole();
    await run(['scan', '--demo', '--config', f, '--format', 'table', '--evidence-pack', pack, '--sign', `ed25519:${join(keys, 'evidence-signing.key')}`], io);
    expect(readFileSync(join(pack, 'findings.json'), 'utf8')).toBe(text);

    const envelope = JSON.parse(readFileSync(join(pack, 'manifest.dsse.json'), 'utf8')) as { payload: string };
    const predicate = (JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { predicate: Record<string, unknown> }).predicate;
    expect(predicate.config_sha256).toBe(digest);
    expect(predicate.deviations).toEqual(recorded);
    expect(predicate.thresholds).toEqual(doc.scan.thresholds);
    expect(await run(['verify', pack, '--key', join(keys, 'evidence-signing.pub')], fakeConsole())).toBe(0);

    const summary = readFileSync(join(pack, 'summary.md'), 'utf8');
    expect(summary).toContain('### Standard applied');
    expect(summary).toContain(`- Config file sha256: \`${digest}\``);
    expect(summary).toContain('| `rotation_days.api-token` | `60` | `90` | Jamf cannot rotate its API clients faster (vendor case 4711) | alice@example.com, bob@example.com | CHG-5001 | 2027-02-01 |');
    expect(summary).toContain('| `audit_retention_days` | `730` | `365` |');

    const html = readFileSync(join(pack, 'index.html'), 'utf8');
    // The executive summary (after the compliance map, the page's first section).
    const summaryAt = html.indexOf('<section id="summary"');
    const first = html.slice(summaryAt, html.indexOf('</section>', summaryAt));
    expect(first).toContain('Judged with 2 approved deviation(s) from the standard, looser than it: rotation_days.api-token, audit_retention_days.');
    expect(first).toContain(`<code>${digest}</code>`);
    expect(first).toContain('<td><code>rotation_days.api-token</code></td><td><code>60</code></td><td><code>90</code></td><td>Jamf cannot rotate its API clients faster (vendor case 4711)</td><td>alice@example.com, bob@example.com</td><td>CHG-5001</td><td>2027-02-01</td>');
  });

  it('a scan without a config records the standard\'s thresholds and no deviation', async () => {
    const out = join(work, 'plain.json');
    await run(['scan', '--demo', '--format', 'json', '--out', out], fakeConsole());
    const scan = (JSON.parse(readFileSync(out, 'utf8')) as { scan: Record<string, unknown> }).scan;
    expect(scan.config_sha256).toBeUndefined();
    expect(scan.thresholds).toEqual(STANDARD);
    expect(scan.deviations).toEqual([]);
  });
});

describe('the README and the examples stay valid', () => {
  it('the README configuration example (stricter thresholds, one deviation) is accepted', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('### Configuration (`vaultproof.yaml`)'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] as string;
    expect(yaml).toContain('deviations:');
    expect(problem(yaml)).toBeUndefined();
  });

  it.each(['azure.yaml', 'vault.yaml', 'events.yaml'])('examples/%s is accepted', (name) => {
    expect(problem(readFileSync(join('examples', name), 'utf8'))).toBeUndefined();
  });

  it('the commented thresholds and deviations example of examples/azure.yaml is accepted when enabled', () => {
    const text = readFileSync('examples/azure.yaml', 'utf8');
    const lines = text.split('\n');
    const from = lines.indexOf('# thresholds:');
    let to = from;
    while (to < lines.length && (lines[to] as string).startsWith('# ')) to++;
    const block = lines.slice(from, to).map((l) => l.slice(2)).join('\n');
    expect(block).toMatch(/^deviations:\n {2}- threshold: rotation_days.publish-credential$/m);
    expect(problem(`${text}\n${block}\n`)).toBeUndefined();
  });
});
