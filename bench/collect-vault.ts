/**
 * Benchmark: the HashiCorp Vault collector against the test server seeded with 20 KV v2 mounts × 500
 * secrets × 5 versions (plus the standard fixture), with the default bounded concurrency.
 * Appends wall time, request count and peak RSS of the collecting process to bench/RESULTS.md.
 *
 *   npx tsx bench/collect-vault.ts            # MOUNTS, SECRETS, VERSIONS, CONCURRENCY override the sizes
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { collectHashicorpVaultDetailed } from '../src/collectors/hashicorp-vault/index.js';
import { parseHashicorpConfig } from '../src/collectors/hashicorp-vault/config.js';

const mounts = Number(process.env.MOUNTS ?? 20);
const secrets = Number(process.env.SECRETS ?? 500);
const versions = Number(process.env.VERSIONS ?? 5);
const concurrency = Number(process.env.CONCURRENCY ?? 8);
const results = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./vault-bench-server.ts', import.meta.url))], {
  env: { ...process.env, MOUNTS: String(mounts), SECRETS: String(secrets), VERSIONS: String(versions) },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const first = await new Promise<string>((resolve, reject) => {
  child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  createInterface({ input: child.stdout! }).once('line', resolve);
});
const { url, token } = JSON.parse(first) as { url: string; token: string };

try {
  const cfg = parseHashicorpConfig([{ name: 'bench', address: url, region: 'local', concurrency, timeout_seconds: 30 }], 'bench', { VAULT_TOKEN: token });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
  const t0 = performance.now();
  const { fragment, clusters } = await collectHashicorpVaultDetailed(cfg, { now: Math.floor(Date.now() / 1000), deadline: Date.now() + 30 * 60_000 }, { env: { VAULT_TOKEN: token } });
  const wallMs = performance.now() - t0;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
  const vault = fragment.vaults['hashicorp-vault:bench'];
  const objects = Object.keys(vault?.objects ?? {}).length;
  const incomplete = fragment.scopes.filter((s) => s.status === 'incomplete');
  const run = clusters[0]!;
  const expected = mounts * secrets + 7;
  const row = [
    new Date().toISOString().slice(0, 19) + 'Z',
    `${mounts}×${secrets}×${versions}`,
    String(concurrency),
    String(objects),
    incomplete.length === 0 ? 'complete' : `${incomplete.length} incomplete`,
    (wallMs / 1000).toFixed(2),
    String(run.requestLog.length),
    String(run.peakConcurrency),
    (peakRss / 1024 / 1024).toFixed(0),
    `node ${process.version}, ${os.cpus().length} CPU`,
  ];
  if (!existsSync(results) || !readFileSync(results, 'utf8').includes('## HashiCorp Vault collector')) {
    appendFileSync(results, `\n## HashiCorp Vault collector (\`npx tsx bench/collect-vault.ts\`)\n\nTest server in a child process (loopback HTTP); peak RSS is the collecting process only.\n\n| date (UTC) | mounts×secrets×versions | concurrency | objects | scopes | wall s | requests | peak in flight | peak RSS MiB | machine |\n|---|---|---|---|---|---|---|---|---|---|\n`);
  }
  appendFileSync(results, `| ${row.join(' | ')} |\n`);
  console.log(`collected ${objects}/${expected} objects, ${incomplete.length} incomplete scopes, ${(wallMs / 1000).toFixed(2)} s, ${run.requestLog.length} requests, peak in flight ${run.peakConcurrency}, peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
  if (incomplete.length > 0 || objects !== expected) {
    console.error(JSON.stringify(incomplete.slice(0, 5), null, 2));
    process.exitCode = 1;
  }
} finally {
  child.kill('SIGTERM');
}
