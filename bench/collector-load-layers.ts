/**
 * Where the Azure Key Vault collector's client-side CPU goes, per request on the wire (companion of
 * bench/collector-load.ts). Against the Key Vault test server in a child process, the collector's
 * recorded requests are sent, alternately in one process, by
 *   a. the bare keep-alive node:https load generator of the load test,
 *   b. the Azure SDK's own HTTP client (core-rest-pipeline createDefaultHttpClient) without a pipeline,
 *   c. the real collector (SDK clients, their pipeline, our guard/resilience policies, the transform),
 * and the CPU time of this process per request is reported (median of the rounds): c − b is what the
 * layers above the HTTP client cost.
 *
 *   npx tsx bench/collector-load-layers.ts [--azure 4x2000x2] [--concurrency 16] [--rounds 5]
 */
import https from 'node:https';
import { createSecureContext, rootCertificates } from 'node:tls';
import { parseArgs } from 'node:util';
import { createDefaultHttpClient, createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import { collectAzureKeyVault, parseAzureConfig, RequestLog } from '../src/collectors/azure-keyvault/index.js';
import { median, replay, startServerChild } from './collector-load-lib.js';
import type { RecordedRequest, ServerInfo } from './collector-load-server.js';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { azure: { type: 'string', default: '4x2000x2' }, concurrency: { type: 'string', default: '16' }, rounds: { type: 'string', default: '5' } } });
  const [vaults, objects, versions] = (values.azure as string).split('x').map(Number) as [number, number, number];
  const concurrency = Number(values.concurrency);
  const rounds = Number(values.rounds);
  if (concurrency % vaults !== 0) throw new Error('concurrency must be a multiple of the number of vaults');
  const server = await startServerChild('azure', { VAULTS: String(vaults), OBJECTS: String(objects), VERSIONS: String(versions), KEEP_ALIVE_TIMEOUT_MS: '5000' });
  try {
    const info = server.info as Extract<ServerInfo, { kind: 'azure' }>;
    const cfg = parseAzureConfig(
      {
        data_plane_only: { vaults: info.vaultUrls.map((url) => ({ url })) },
        credential: { kind: 'managed-identity' },
        key_vault: { service_version: '7.5', disable_challenge_resource_verification: true },
        tls: { ca_file: info.caFile },
        concurrency: { vaults, requests_per_vault: concurrency / vaults },
      },
      'collector-load-layers',
    );
    cfg.concurrency = { ...cfg.concurrency, vault_requests_per_10s: 1_000_000_000 };
    process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = info.tokenUrl;
    const collect = () => collectAzureKeyVault(cfg, { now: Math.floor(Date.now() / 1000), deadline: Date.now() + 600_000 }, { requestLog: new RequestLog() });
    await collect();
    await server.call('record');
    await collect();
    // The Key Vault requests only (the token endpoint is plain HTTP and called once per credential).
    const recorded = ((await server.call('stop-record')).recorded ?? []).filter((r: RecordedRequest) => r.url.startsWith('https:'));
    const secureContext = createSecureContext({ ca: [...rootCertificates, info.caPem] });
    const sdkHttpClient = async () => {
      const agent = new https.Agent({ keepAlive: true, maxSockets: concurrency, secureContext });
      const client = createDefaultHttpClient();
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < recorded.length; i = next++) {
          const r = recorded[i] as RecordedRequest;
          const req = createPipelineRequest({ url: r.url, method: 'GET', headers: createHttpHeaders(r.headers), timeout: 30_000 });
          req.agent = agent;
          await client.sendRequest(req);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      agent.destroy();
    };
    const layers: Array<[string, () => Promise<unknown>]> = [
      ['a. bare node:https keep-alive generator', () => replay(recorded, concurrency, info.caPem)],
      ['b. Azure SDK HTTP client, no pipeline', sdkHttpClient],
      ['c. the collector', collect],
    ];
    const cpu = new Map<string, number[]>();
    const wall = new Map<string, number[]>();
    for (let round = 0; round < rounds; round++) {
      for (const [name, fn] of layers) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        await fn();
        const w = performance.now() - t0;
        const c = process.cpuUsage(c0);
        cpu.set(name, [...(cpu.get(name) ?? []), (c.user + c.system) / recorded.length]);
        wall.set(name, [...(wall.get(name) ?? []), w]);
      }
    }
    console.log(`${recorded.length} Key Vault requests per run, concurrency ${concurrency} (${vaults} vaults × ${concurrency / vaults}), ${rounds} rounds, medians`);
    console.log('| sender | CPU µs per request (this process) | wall s |\n|---|---|---|');
    for (const [name] of layers) console.log(`| ${name} | ${median(cpu.get(name) ?? []).toFixed(0)} | ${(median(wall.get(name) ?? []) / 1000).toFixed(2)} |`);
  } finally {
    await server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
