/**
 * Collector load test (issue #10): requests/s of each collector against its test server (in a child
 * process) and the share of the server's raw capacity at the same concurrency. Method: see
 * bench/collector-load-lib.ts. Prints a Markdown table; `--record` appends a section to bench/RESULTS.md.
 *
 *   npm run bench:collectors -- [--record] [--only vault|azure] [--concurrency 4,8,16] [--repeats 3] [--warmups 2]
 *                               [--vault MOUNTSxSECRETSxVERSIONS] [--azure VAULTSxOBJECTSxVERSIONS]
 *                               [--kv-keep-alive-ms 5000] [--json FILE]
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_OPTIONS, renderSection, renderTable, runCollectorLoad, type CollectorKind, type LoadOptions } from './collector-load-lib.js';

function triple(s: string, what: string): [number, number, number] {
  const parts = s.split(/[x×]/).map(Number);
  if (parts.length !== 3 || parts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--${what} expects AxBxC with positive integers, got ${s}`);
  return parts as [number, number, number];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      record: { type: 'boolean', default: false },
      only: { type: 'string' },
      concurrency: { type: 'string' },
      repeats: { type: 'string' },
      warmups: { type: 'string' },
      vault: { type: 'string' },
      azure: { type: 'string' },
      'kv-keep-alive-ms': { type: 'string' },
      json: { type: 'string' },
    },
  });
  const opts: LoadOptions = { ...DEFAULT_OPTIONS, log: (l) => console.error(l) };
  if (values.only) {
    if (values.only !== 'vault' && values.only !== 'azure') throw new Error('--only expects vault or azure');
    opts.collectors = [values.only as CollectorKind];
  }
  if (values.concurrency) opts.concurrencies = values.concurrency.split(',').map(Number);
  if (values.repeats) opts.repeats = Number(values.repeats);
  if (values.warmups) opts.warmups = Number(values.warmups);
  if (values.vault) {
    const [mounts, secrets, versions] = triple(values.vault, 'vault');
    opts.vault = { mounts, secrets, versions };
  }
  if (values.azure) {
    const [vaults, objects, versions] = triple(values.azure, 'azure');
    opts.azure = { ...opts.azure, vaults, objects, versions };
  }
  if (values['kv-keep-alive-ms']) opts.azure = { ...opts.azure, keepAliveTimeoutMs: Number(values['kv-keep-alive-ms']) };
  const report = await runCollectorLoad(opts);
  // The command as recorded: without --json FILE (a local output path).
  const args = process.argv.slice(2).filter((a, i, all) => a !== '--json' && all[i - 1] !== '--json' && !a.startsWith('--json='));
  const command = `npm run bench:collectors${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
  console.log(renderTable(report));
  if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  if (values.record) {
    appendFileSync(fileURLToPath(new URL('./RESULTS.md', import.meta.url)), `\n${renderSection(report, command)}`);
    console.error('appended to bench/RESULTS.md');
  }
  if (!report.rows.every((r) => r.countsAgree)) {
    console.error('counts disagree: see the table');
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
