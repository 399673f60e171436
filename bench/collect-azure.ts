/**
 * Benchmark: collect N vaults × M objects from the ARM test server and the Key Vault test double
 * (loopback only), with the progress display, and append wall time, request count and peak RSS to
 * bench/RESULTS.md. Rerunnable: `node --import tsx bench/collect-azure.ts` is not needed — run with
 * `bash bench/collect-azure.sh [vaults] [objects]`.
 */
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { collectAzureKeyVault, createProgress, parseAzureConfig, RequestLog } from '../src/collectors/azure-keyvault/index.js';
import { seedBulk, startFleet, SUB } from '../test/support/arm-test-server/fleet.js';

const vaults = Number(process.argv[2] ?? 50);
const objects = Number(process.argv[3] ?? 200);
const resultsFile = new URL('./RESULTS.md', import.meta.url);

async function main(): Promise<void> {
  const fleet = await startFleet({ kvPageSize: 25, armPageSize: 25 });
  process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = fleet.arm.tokenUrl;
  const per = { secrets: Math.round(objects * 0.6), keys: Math.round(objects * 0.2), certificates: objects - Math.round(objects * 0.6) - Math.round(objects * 0.2) };
  for (let i = 0; i < vaults; i++) {
    const v = await fleet.addVault({ name: `kv-bench-${String(i).padStart(3, '0')}`, location: i % 2 ? 'northeurope' : 'westeurope', diagnostics: [] });
    seedBulk(v, { ...per, versions: 2 }, (n) => `BENCH-CANARY-${i}-${n}`);
  }
  const cfg = parseAzureConfig(
    {
      endpoints: { arm: fleet.arm.armUrl, graph: fleet.graph.url },
      subscriptions: [SUB],
      credential: { kind: 'managed-identity' },
      key_vault: { service_version: '7.5', disable_challenge_resource_verification: true },
      tls: { ca_file: fleet.pki.caFile },
    },
    'bench',
  );
  const log = new RequestLog();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  fleet.kv.log.length = 0;
  fleet.arm.log.length = 0;
  const started = Date.now();
  const fragment = await collectAzureKeyVault(cfg, { now: Math.floor(started / 1000), deadline: started + 30 * 60_000, progress: createProgress({ stream: process.stderr, env: process.env }) }, { requestLog: log });
  const wallMs = Date.now() - started;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const collected = Object.values(fragment.vaults).reduce((n, v) => n + Object.keys(v.objects).length, 0);
  const incomplete = fragment.scopes.filter((s) => s.status === 'incomplete').length;
  const leaked = JSON.stringify(fragment).includes('BENCH-CANARY');
  const wire = fleet.kv.log.length + fleet.arm.log.length;
  const peaks = `${log.peakInFlight} / ${log.peakInFlightPerHost}`;
  await fleet.close();
  const row = `| ${new Date(started).toISOString()} | ${vaults} × ${objects} | ${collected} | ${(wallMs / 1000).toFixed(1)} | ${log.entries.length} | ${wire} | ${peaks} | ${(peakRss / 1048576).toFixed(0)} | ${incomplete} | ${leaked ? 'LEAKED' : 'none'} | node ${process.version}, ${cpus().length} cpu |`;
  if (process.env.VP_BENCH_NO_RECORD === '1') {
    console.log(row);
    return;
  }
  if (!existsSync(resultsFile)) writeFileSync(resultsFile, '# Benchmark results\n');
  appendFileSync(
    resultsFile,
    `\n## Azure collector (bench/collect-azure.sh): defaults (4 vaults at once, 4 requests in flight per vault)\n\n| run at | vaults × objects | objects collected | wall s | requests (collector log) | requests (served, incl. auth challenges) | peak requests in flight, collector (all / one host) | peak RSS MiB | incomplete scopes | canary | machine |\n|---|---|---|---|---|---|---|---|---|---|---|\n${row}\n`,
  );
  console.log(row);
  if (collected !== vaults * objects || incomplete > 0 || leaked) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
