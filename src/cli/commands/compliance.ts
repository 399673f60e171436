/**
 * `vaultproof compliance`: the standard requirement by requirement (the compliance map,
 * src/findings/compliance.ts) for the demo fleet, a snapshot evaluated now, or a findings document
 * written earlier (`--findings FILE`). Table or `--format json` (schemas/compliance-v1.schema.json).
 * The exit code is the gate's (DESIGN §4) over the same findings, with the same options as `scan`.
 */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { complianceMap, vaultBreakdown } from '../../findings/compliance.js';
import { loadFindingsDocument } from '../../findings/baseline.js';
import { gate } from '../../findings/gate.js';
import type { FindingsDocument, Severity } from '../../findings/types.js';
import { loadRequirementCatalog } from '../../findings/requirements.js';
import { loadBundle } from '../../engine/bundle.js';
import { catchAllInForce } from '../../engine/waivers.js';
import { loadSnapshot } from '../../snapshot/validate.js';
import { InputError } from '../../util/input-error.js';
import { PACKAGE_ROOT } from '../../version.js';
import type { ConfigFlag } from '../config-discovery.js';
import type { Console } from '../console.js';
import { writeFileAtomic } from '../io.js';
import { validateOutputTargets } from '../output-targets.js';
import { parseSeverity } from '../options.js';
import { correlationId, deriveFindings } from './evaluate.js';
import { renderComplianceJson, renderComplianceTable, renderVaultBreakdown } from './compliance-output.js';

const DEMO = resolve(PACKAGE_ROOT, 'fixtures', 'demo', 'snapshot.json');

export interface ComplianceFlags {
  demo?: boolean;
  snapshot?: string;
  findings?: string;
  config?: ConfigFlag;
  waivers?: string;
  requirements?: string;
  format: 'table' | 'json';
  out?: string;
  failOn: Severity;
  allowIncomplete?: boolean;
  allowErrors?: boolean;
  correlationId?: string;
  byVault?: boolean;
}

type UseConfig = (flag: ConfigFlag, discover: boolean) => string | undefined;

/** The findings the map is drawn from, and the waivers in force that cover every resource of a rule. */
async function findingsFor(flags: ComplianceFlags, useConfig: UseConfig): Promise<{ doc: FindingsDocument; catchAll: number }> {
  const given = [flags.demo && '--demo', flags.snapshot !== undefined && '--snapshot', flags.findings !== undefined && '--findings'].filter(Boolean);
  if (given.length > 1) throw new InputError('compliance', '', `give one of --demo, --snapshot FILE or --findings FILE, not ${given.join(' and ')}`);
  if (flags.findings !== undefined) {
    for (const [v, name] of [[flags.waivers, '--waivers'], [typeof flags.config === 'string' ? flags.config : undefined, '--config']] as const) {
      if (v) throw new InputError(name, '', 'does not apply with --findings FILE (the document already carries its verdicts)');
    }
    return { doc: loadFindingsDocument(flags.findings), catchAll: 0 };
  }
  const source = flags.demo ? DEMO : flags.snapshot;
  if (!source) throw new InputError('compliance', '', 'expected --demo, --snapshot FILE (written by `vaultproof collect`) or --findings FILE (written by `scan --format json`)');
  // The demo gives the same map wherever it runs: ./vaultproof.yaml applies only when named.
  const config = useConfig(flags.config, !flags.demo);
  const snapshot = loadSnapshot(source);
  const derived = await deriveFindings(snapshot, { config, waivers: flags.waivers }, correlationId(flags.correlationId, snapshot.scan_id));
  return { doc: derived.doc, catchAll: catchAllInForce(derived.waivers, derived.snapshot.now) };
}

export async function complianceCommand(flags: ComplianceFlags, io: Console, useConfig: UseConfig): Promise<number> {
  if (flags.out) validateOutputTargets({ files: [{ option: '--out', file: flags.out }] });
  const requirements = loadRequirementCatalog(flags.requirements);
  const { doc, catchAll } = await findingsFor(flags, useConfig);
  const bundle = loadBundle();
  if (flags.findings !== undefined && doc.scan.policy_bundle_sha256 !== bundle.sha256) {
    io.err(`note: ${flags.findings} was evaluated with policy bundle ${doc.scan.policy_bundle_sha256.slice(0, 16)}…; its rules are mapped to requirements by this bundle's catalog (${bundle.sha256.slice(0, 16)}…)`);
  }
  const passes = doc.findings.filter((f) => f.status === 'pass').length;
  if (flags.findings !== undefined && passes < doc.summary.pass) {
    io.err(`note: ${flags.findings} lists ${passes} of its ${doc.summary.pass} passing findings (written with --only-failures?): a requirement whose passes are missing shows error, never compliant`);
  }
  const map = complianceMap(requirements, bundle.catalog.rules, doc);
  const verdict = gate(doc, { failOn: flags.failOn, allowIncomplete: Boolean(flags.allowIncomplete), allowErrors: Boolean(flags.allowErrors), failOnNew: false }, catchAll);
  const byVault = flags.byVault ? vaultBreakdown(requirements, bundle.catalog.rules, doc) : undefined;
  const text = flags.format === 'json'
    ? renderComplianceJson(map, doc, byVault)
    : renderComplianceTable(map, doc, { color: !flags.out && io.stdoutIsTTY && !process.env.NO_COLOR, columns: io.columns }) + (byVault ? renderVaultBreakdown(byVault, { columns: io.columns }) : '');
  if (flags.out) {
    writeFileAtomic(flags.out, text);
    io.out(verdict.line);
  } else {
    io.write(text);
    if (flags.format === 'table') io.out(verdict.line);
    else io.err(verdict.line);
  }
  return verdict.exitCode;
}

export function registerComplianceCommand(program: Command, io: Console, setExit: (code: number) => void, useConfig: UseConfig): void {
  program
    .command('compliance')
    .description('the standard requirement by requirement: the rules behind each, their pass/fail/error/waived counts and a status')
    .option('--demo', 'map the embedded demo fleet (no network, no credentials)')
    .option('--snapshot <file>', 'evaluate a snapshot written earlier and map its findings')
    .option('--findings <file>', 'map a findings document written earlier (scan --format json)')
    .option('-c, --config <file>', 'vaultproof.yaml: thresholds, principals, waivers (default: ./vaultproof.yaml when present, except with --demo or --findings)')
    .option('--no-config', 'do not use ./vaultproof.yaml found in the working directory')
    .option('--waivers <file>', 'waiver file (YAML); overrides the config file\'s `waivers`')
    .option('--by-vault', 'also judge each vault on its own findings: the requirements the rules reporting on it judge, each with a status')
    .option('--requirements <file>', 'the requirement catalog (default: policies/standard/requirements.yaml shipped with vaultproof)')
    .addOption(new Option('-f, --format <format>', 'table or json (schemas/compliance-v1.schema.json)').choices(['table', 'json']).default('table'))
    .option('-o, --out <file>', 'write the map to a file (atomically) instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'lowest severity of an unwaived failure (exit 1) or of a check that could not be judged (exit 3) that fails the gate').default('high').argParser(parseSeverity))
    .option('--allow-incomplete', 'do not fail the gate (exit 3) when some scope could not be collected or some check could not be judged')
    .option('--allow-errors', 'do not fail the gate (exit 3) on checks that could not be judged (status error); unreadable scopes still do')
    .option('--correlation-id <id>', 'correlation id stamped on the findings (default: the CI run id, else the scan id)')
    .action(async (flags: ComplianceFlags) => {
      // --findings never discovers ./vaultproof.yaml: the document was judged already.
      setExit(await complianceCommand(flags, io, (flag, discover) => useConfig(flag, discover && flags.findings === undefined)));
    });
}
