/** `rules` lists the catalog; `explain` prints what one rule checks, why, and how to fix it. */
import type { RuleMeta } from '../../findings/catalog.js';
import { loadRequirementCatalog, type Requirement } from '../../findings/requirements.js';
import { loadBundle, type PolicyBundle } from '../../engine/bundle.js';
import { InputError } from '../../util/input-error.js';
import type { Console } from '../console.js';
import { RULE_SETTINGS } from '../rule-settings.generated.js';

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export function listRules(format: 'table' | 'json', io: Console): number {
  const { catalog } = loadBundle();
  if (format === 'json') {
    io.write(JSON.stringify(catalog, null, 2) + '\n');
    return 0;
  }
  const rows = catalog.rules.map((r) => [r.id, r.severity, r.metric, r.control, r.title]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => (row[i] as string).length), ['ID', 'SEVERITY', 'METRIC', 'CONTROL'][i]!.length));
  io.out(['ID', 'SEVERITY', 'METRIC', 'CONTROL', 'TITLE'].map((h, i) => (i < 4 ? pad(h, widths[i]!) : h)).join('  '));
  for (const row of rows) io.out(row.map((c, i) => (i < 4 ? pad(c as string, widths[i]!) : c)).join('  '));
  io.out(`${rows.length} rules`);
  return 0;
}

/** The page documenting a rule (generated from the catalog into docs/rules/). */
export function rulePage(id: string): string {
  return `docs/rules/${id}.md`;
}

/**
 * What a rule checks, why (the requirement it implements, with the standard's sentences), the
 * requirements of the standard it judges with their text (METADATA custom.requirements, the text
 * from policies/standard/requirements.yaml), the vaultproof.yaml settings that tune it with the
 * standard's value (METADATA custom.settings, as generated into rule-settings.generated.ts), how to
 * fix a failure, its page and its Rego source.
 */
export function explainRule(
  id: string,
  io: Console,
  bundle: Pick<PolicyBundle, 'rulesById' | 'defaults'> = loadBundle(),
  settings: Readonly<Record<string, readonly string[]>> = RULE_SETTINGS,
  requirements: () => readonly Requirement[] = () => loadRequirementCatalog().requirements,
): number {
  const rule: RuleMeta | undefined = bundle.rulesById.get(id.toUpperCase());
  if (!rule) throw new InputError('rule catalog', '', `no rule ${id} (see \`vaultproof rules\`)`);
  io.out(`${rule.id} — ${rule.title}`);
  io.out(`severity: ${rule.severity}   control: ${rule.control}   metric: ${rule.metric}`);
  io.out('');
  io.out('What it checks');
  io.out(indent(rule.description));
  io.out('');
  io.out('Why: the requirement it implements');
  io.out(`  ${rule.control}`);
  for (const r of rule.references) io.out(`  - ${r}`);
  io.out('');
  io.out('Requirements of the standard it judges (docs/standard.md)');
  for (const line of requirementLines(rule.requirements, requirements)) io.out(`  ${line}`);
  io.out('');
  io.out('Tuned by (vaultproof.yaml)');
  for (const line of settingLines(settings[rule.id], bundle.defaults.thresholds)) io.out(`  ${line}`);
  io.out('');
  io.out('How to fix');
  io.out(indent(rule.remediation));
  io.out('');
  io.out(`Documentation: ${rulePage(rule.id)}`);
  io.out(`Source: ${rule.source_file}:${rule.source_line}`);
  return 0;
}

/** One line per requirement id with its section and sentence; says so when the rule judges none. */
function requirementLines(ids: readonly string[] | undefined, requirements: () => readonly Requirement[]): string[] {
  if (ids === undefined) return ['not recorded in this policy bundle (built before rules named their requirements)'];
  if (ids.length === 0) return ['none: the rule goes beyond the standard (a control it does not ask for: see the control and references)'];
  const byId = new Map(requirements().map((r) => [r.id, r]));
  return ids.map((reqId) => {
    const req = byId.get(reqId);
    return req ? `${reqId} (${req.section}, ${req.disposition}): ${req.text}` : `${reqId}: not in the requirement catalog`;
  });
}

/** One line per setting with the standard's value (policies/data/defaults.json); stricter needs nothing, looser a deviation. */
function settingLines(paths: readonly string[] | undefined, standard: Record<string, unknown>): string[] {
  if (paths === undefined) return ['not recorded for this rule (run node scripts/generate-rule-settings.mjs)'];
  if (paths.length === 0) return ['no setting: the rule has no threshold to tune (a waiver is the only exception)'];
  return paths.map((path) => {
    const value = path.startsWith('thresholds.') ? standardValue(path.slice('thresholds.'.length), standard) : undefined;
    return `${path}${value !== undefined ? ` (standard: ${JSON.stringify(value)}; looser needs an approved deviation)` : ''}`;
  });
}

function standardValue(path: string, standard: Record<string, unknown>): unknown {
  const keys = path.split('.');
  let at: unknown = standard;
  for (const k of keys) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, k)) return undefined;
    at = (at as Record<string, unknown>)[k];
  }
  return at;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => (l ? `  ${l}` : l))
    .join('\n');
}
