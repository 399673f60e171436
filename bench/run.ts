/**
 * `npm run bench`: vaultproof vs `opa eval` vs the read-and-parse floor, per fleet size.
 *
 *   npm run bench                          # 1k, 10k, 100k, 1M
 *   npm run bench -- --sizes 1k,10k        # a quick run
 *   npm run bench -- --record              # also append the table to bench/RESULTS.md
 *
 * Options: --sizes LIST, --work DIR (fleets are kept and reused there; default bench/.cache),
 * --out DIR (results.json + results.md; default bench/out), --workers N, --opa-timeout SECONDS,
 * --formats LIST|all|none (output formats and `evidence-pack` timed through the CLI; default all),
 * --heap-mib N (node's --max-old-space-size for the format runs, as a container of that budget sets it),
 * --formats-only (only the format runs: no floor, engine-only or opa run),
 * --skip-opa, --baseline-bin FILE (another build's bin/vaultproof.js: each format is run with it too,
 * just before this tree's run, and the table gives time and peak-RSS ratios and whether the outputs match).
 * The million-object size takes minutes and gigabytes: it is never part of the CI tests.
 */
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_FORMATS, renderMarkdown, runBench } from './harness.js';

const BENCH = fileURLToPath(new URL('.', import.meta.url));

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function findOpa(): string {
  for (const c of [process.env.OPA, join(BENCH, '..', 'tools', 'bin', 'opa')]) if (c && existsSync(c)) return c;
  throw new Error('opa not found (run `npm run setup`, or set OPA=/path/to/opa)');
}

try {
  const sizes = (arg('sizes') ?? '1k,10k,100k,1M').split(',').map((s) => s.trim()).filter(Boolean);
  const out = arg('out') ?? join(BENCH, 'out');
  const workers = arg('workers') ? Number(arg('workers')) : undefined;
  const formatsArg = arg('formats') ?? 'all';
  const formats = formatsArg === 'all' ? ALL_FORMATS : formatsArg === 'none' ? [] : formatsArg.split(',').map((s) => s.trim()).filter(Boolean);
  const report = runBench(
    { sizes, workDir: arg('work') ?? join(BENCH, '.cache'), opa: findOpa(), workers, opaTimeoutSeconds: Number(arg('opa-timeout') ?? 900), formats, skipOpa: process.argv.includes('--skip-opa'), ...(arg('baseline-bin') ? { baselineBin: arg('baseline-bin') as string } : {}), ...(arg('heap-mib') ? { heapMib: Number(arg('heap-mib')) } : {}), formatsOnly: process.argv.includes('--formats-only') },
    (line) => process.stderr.write(`${line}\n`),
  );
  mkdirSync(out, { recursive: true });
  const md = renderMarkdown(report);
  writeFileSync(join(out, 'results.json'), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(out, 'results.md'), md);
  process.stdout.write(md);
  if (process.argv.includes('--record')) appendFileSync(join(BENCH, 'RESULTS.md'), `\n${md}`);
  process.stderr.write(`bench: wrote ${join(out, 'results.json')} and results.md\n`);
} catch (e) {
  process.stderr.write(`bench: ${(e as Error).message}\n`);
  process.exit(2);
}
