/**
 * Property: the consumers collector survives damaged configuration files. Each real-format fixture,
 * cut at any point or with bytes replaced, is read as a consumer without an exception: either judged
 * (a kind and a refresh) or recorded with an error naming the file; never a value of the file in the
 * snapshot, and the snapshot still validates.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { consumersCollector } from '../../../src/collectors/consumers/collector.js';
import { assembleSnapshot } from '../../../src/snapshot/assemble.js';
import type { Consumer } from '../../../src/snapshot/types.js';
import { validateSnapshot } from '../../../src/snapshot/validate.js';
import { propertyParameters } from '../../support/property-settings.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const CANARY = 'CANARY-7f3a9c-consumer-secret';
const FILES = ['vault-agent/agent.hcl', 'vault-proxy/proxy.hcl', 'csi/secretproviderclass.yaml', 'csi/daemonset.yaml', 'eso/externalsecret.yaml', 'app-service/appsettings.json', 'app-service/azuredeploy.json', 'dotnet/appsettings.json', 'spring/application.yml', 'spring/application.properties', 'aks/cluster.json'];
const TEXTS = FILES.map((f) => readFileSync(join(FIXTURES, f), 'utf8'));

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'vp-consumers-fuzz-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const damage = fc.record({
  file: fc.nat({ max: FILES.length - 1 }),
  cut: fc.double({ min: 0, max: 1, noNaN: true }),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  insert: fc.oneof(fc.constantFrom('{', '}', '"', '[', ']', ':', '\n', '---\n', '  ', '\t', '<<EOF\n', '/*', '#', '\\', '\u0000', '\uFEFF', '@Microsoft.KeyVault('), fc.string({ maxLength: 12 })),
  kind: fc.option(fc.constantFrom(...(['vault-agent', 'vault-proxy', 'csi-secrets-store', 'external-secrets', 'azure-app-service', 'dotnet-keyvault', 'spring-cloud-azure-keyvault'] as const)), { nil: undefined }),
});

let n = 0;
it('reads any damaged fixture without an exception, as a judged consumer or one with an error naming the file', async () => {
  await fc.assert(
    fc.asyncProperty(damage, async ({ file, cut, at, insert, kind }) => {
      const text = TEXTS[file] as string;
      const kept = text.slice(0, Math.floor(text.length * (0.2 + 0.8 * cut)));
      const pos = Math.floor(kept.length * at);
      const damaged = kept.slice(0, pos) + insert + kept.slice(pos);
      const dir = join(work, String(n++));
      mkdirSync(dir);
      const name = basename(FILES[file] as string);
      writeFileSync(join(dir, name), damaged);
      const cfg = consumersCollector.parse([{ name: 'c', paths: [`${dir}/${name}`], ...(kind ? { kind } : {}) }], join(work, 'vaultproof.yaml'), {});
      const r = await consumersCollector.collect(cfg, { now: 0, deadline: Date.now() + 60_000 });
      const c = r.fragment.consumers.c as Consumer;
      if (c.error !== undefined) expect(c.error.length).toBeGreaterThan(0);
      else expect(c.kind).not.toBe('unknown');
      if (r.scopes[0]?.status === 'incomplete') expect(c.error).toContain(name);
      const snapshot = assembleSnapshot([{ vaults: {}, principals: {}, grants: {}, replication: {}, identities: [], ...r.fragment, scopes: r.scopes }], { scanId: 's', now: 0 });
      const json = JSON.stringify(validateSnapshot(JSON.parse(JSON.stringify(snapshot)), 'fuzzed'));
      expect(json).not.toContain(CANARY);
    }),
    propertyParameters(0.5),
  );
});
