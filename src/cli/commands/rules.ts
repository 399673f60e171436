/** `rules` lists the catalog; `explain` prints what one rule checks, why, and how to fix it. */
import type { RuleMeta } from '../../engine/catalog.js';
import { loadBundle } from '../../engine/bundle.js';
import { InputError } from '../../util/input-error.js';
import type { Console } from '../console.js';

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

export function explainRule(id: string, io: Console): number {
  const { rulesById } = loadBundle();
  const rule: RuleMeta | undefined = rulesById.get(id.toUpperCase());
  if (!rule) throw new InputError('rule catalog', '', `no rule ${id} (see \`vaultproof rules\`)`);
  io.out(`${rule.id} — ${rule.title}`);
  io.out(`severity: ${rule.severity}   control: ${rule.control}   metric: ${rule.metric}`);
  io.out('');
  io.out('What it checks');
  io.out(indent(rule.description));
  io.out('');
  io.out('How to fix');
  io.out(indent(rule.remediation));
  if (rule.references.length) {
    io.out('');
    io.out('References');
    for (const r of rule.references) io.out(`  - ${r}`);
  }
  io.out('');
  io.out(`Source: ${rule.source_file}:${rule.source_line}`);
  return 0;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => (l ? `  ${l}` : l))
    .join('\n');
}
