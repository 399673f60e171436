/**
 * Delivery to a local HTTPS collector speaking the Splunk HEC and Azure Logs Ingestion shapes:
 * batching, retries honouring Retry-After, an outage in the middle of a batch, TLS trust, and the
 * token never leaving the Authorization header.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FindingsDocument } from '../../src/findings/types.js';
import { buildSiemEvents, deliverFindings, spoolDirFor, parseSinkSpec, type DeliveryOptions } from '../../src/siem/index.js';
import { demoContext, loadDemoFindings, syntheticFindings } from '../fixtures/siem/fixture.js';
import { mintPki, type TestPki } from './helpers/certs.js';
import { startCollector, type Collector } from './helpers/collector.js';
import { describeWith, findBinary } from './helpers/prereq.js';

const openssl = findBinary('openssl');
const HEC_TOKEN = 'canary-hec-token-7f3a9c1e-DO-NOT-LEAK';
const BEARER = 'canary-bearer-eyJhbGciOi-DO-NOT-LEAK';
const env = { VP_HEC_TOKEN: HEC_TOKEN, VP_AZ_TOKEN: BEARER };
const ctx = demoContext();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function withScanId(doc: FindingsDocument, id: string): FindingsDocument {
  return { ...doc, scan: { ...doc.scan, id } };
}

describeWith('openssl', openssl, 'Debian package openssl')('HTTPS sinks against a local collector', () => {
  let pki: TestPki;
  let collector: Collector;
  const tempDirs: string[] = [];
  const logs: string[] = [];
  const opts = (extra: Partial<DeliveryOptions> = {}): DeliveryOptions => {
    const d = mkdtempSync(join(tmpdir(), 'vp-spool-'));
    tempDirs.push(d);
    return { ctx, env, spoolDir: d, retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 100 }, log: (l) => logs.push(l), ...extra };
  };
  const hec = () => `splunk-hec+https://127.0.0.1:${collector.port}/services/collector/event?token_env=VP_HEC_TOKEN&ca=${encodeURIComponent(pki.caCert)}&index=vault_compliance`;
  const azure = () =>
    `azure-logs+https://127.0.0.1:${collector.port}/dataCollectionRules/dcr-00000000000000000000000000000000/streams/Custom-VaultproofFindings?token_env=VP_AZ_TOKEN&ca=${encodeURIComponent(pki.caCert)}`;

  beforeAll(async () => {
    pki = mintPki(openssl!);
    collector = await startCollector(pki, { hecToken: HEC_TOKEN, bearer: BEARER });
  });
  beforeEach(() => {
    collector.mode = 'up';
    collector.accepted.length = 0;
  });
  afterAll(async () => {
    await collector?.close();
    for (const d of [...tempDirs, pki?.dir]) if (d) rmSync(d, { recursive: true, force: true });
    // The canary tokens appear in no log line the library produced.
    expect(logs.join('\n')).not.toContain(HEC_TOKEN);
    expect(logs.join('\n')).not.toContain(BEARER);
  });

  it('delivers OCSF events to a HEC collector in batches, with the HEC envelope', async () => {
    const doc = loadDemoFindings();
    const before = collector.requests;
    const report = await deliverFindings(doc, hec() + '&batch=4', opts());
    expect(report).toMatchObject({ events: 16, sent: 16, spooled: 0, failed: 0, delivered_all: true });
    expect(collector.requests - before).toBe(4); // 16 events in chunks of 4
    const got = collector.accepted;
    expect(got.map((a) => (a.event as Json).metadata.uid)).toEqual(buildSiemEvents(doc, ctx, 'ocsf').map((e) => e.uid));
    expect(got[1]!.meta).toMatchObject({ source: 'vaultproof', sourcetype: 'ocsf:compliance_finding', index: 'vault_compliance', time: Date.parse(doc.scan.now) / 1000 });
    expect(got[0]!.meta.sourcetype).toBe('ocsf:scan_activity');
    expect(collector.authorizations.at(-1)).toBe(`Splunk ${HEC_TOKEN}`);
  });

  it('delivers to an Azure Logs Ingestion-style endpoint as a JSON array with TimeGenerated', async () => {
    const doc = loadDemoFindings();
    const report = await deliverFindings(doc, azure(), opts());
    expect(report).toMatchObject({ sent: 16, delivered_all: true });
    const records = collector.accepted.map((a) => a.event as Json);
    expect(records).toHaveLength(16);
    expect(records[1]).toMatchObject({ TimeGenerated: doc.scan.now.replace('Z', '.000Z'), class_uid: 2003, finding_info: { uid: doc.findings[0]!.fingerprint } });
    expect(collector.accepted[0]!.path).toContain('api-version=2023-01-01');
    expect(collector.authorizations.at(-1)).toBe(`Bearer ${BEARER}`);
  });

  it('retries a busy collector (503 + Retry-After) and delivers each event once', async () => {
    const doc = loadDemoFindings();
    let busyFor = 2;
    collector.mode = 'busy';
    const report = await deliverFindings(doc, hec(), {
      ...opts(),
      retry: {
        attempts: 4,
        baseDelayMs: 10,
        maxDelayMs: 100,
        sleep: async () => {
          if (--busyFor === 0) collector.mode = 'up';
        },
      },
    });
    expect(report).toMatchObject({ sent: 16, spooled: 0, delivered_all: true });
    expect(collector.accepted).toHaveLength(16);
    expect(logs.some((l) => /HTTP 503/.test(l) && /retrying/.test(l))).toBe(true);
  });

  for (const outage of ['reset', 'busy'] as const) {
    it(`a collector outage (${outage}) in the middle of a batch loses and duplicates nothing`, async () => {
      const o = opts();
      const first = withScanId(syntheticFindings(41), `https-outage-${outage}-1`);
      const second = withScanId(syntheticFindings(7), `https-outage-${outage}-2`);
      let sentChunks = 0;
      const r1 = await deliverFindings(first, hec() + '&batch=5', {
        ...o,
        onChunk: (c) => {
          if (c.source === 'new' && c.outcome === 'sent' && ++sentChunks === 3) collector.mode = outage;
        },
      });
      expect(r1).toMatchObject({ events: 43, sent: 15, spooled: 28, failed: 0, spool_pending: 28, delivered_all: false });
      expect(r1.errors.join('\n')).toMatch(outage === 'busy' ? /HTTP 503/ : /ECONNRESET|socket hang up/);

      // The spool holds events only: no token, no header, just the serialized findings events.
      const spoolDir = spoolDirFor(o.spoolDir!, parseSinkSpec(hec()));
      const spooled = readdirSync(spoolDir).filter((f) => f.endsWith('.jsonl')).map((f) => readFileSync(join(spoolDir, f), 'utf8')).join('');
      expect(spooled).not.toContain(HEC_TOKEN);
      expect(spooled).not.toContain('Splunk ');
      for (const line of spooled.trim().split('\n')) expect(Object.keys(JSON.parse(line)).sort()).toEqual(['batch', 'body', 'format', 'kind', 'msgid', 'syslogSeverity', 'time', 'uid']);

      // A run during the outage keeps everything, in order, behind the spool.
      const stillDown = await deliverFindings(withScanId(syntheticFindings(3), `https-outage-${outage}-mid`), hec() + '&batch=5', o);
      expect(stillDown).toMatchObject({ sent: 0, resent_from_spool: 0, spooled: 5, spool_pending: 33 });

      collector.mode = 'up';
      const r2 = await deliverFindings(second, hec() + '&batch=5', o);
      expect(r2).toMatchObject({ resent_from_spool: 33, sent: 9, spooled: 0, failed: 0, spool_pending: 0, delivered_all: true });

      const expected = [
        ...buildSiemEvents(first, ctx, 'ocsf'),
        ...buildSiemEvents(withScanId(syntheticFindings(3), `https-outage-${outage}-mid`), ctx, 'ocsf'),
        ...buildSiemEvents(second, ctx, 'ocsf'),
      ].map((e) => e.uid);
      const got = collector.accepted.map((a) => (a.event as Json).metadata.uid as string);
      expect(got).toHaveLength(expected.length); // zero duplicated
      expect(new Set(got)).toEqual(new Set(expected)); // zero lost
      expect(got).toEqual(expected); // in order
    });
  }

  it('treats TLS trust failure and bad credentials as permanent: no retries, batch spooled', async () => {
    const before = collector.requests;
    const wrongCa = hec().replace(encodeURIComponent(pki.caCert), encodeURIComponent(pki.otherCaCert));
    const r1 = await deliverFindings(loadDemoFindings(), wrongCa, opts());
    expect(r1).toMatchObject({ sent: 0, spooled: 16 });
    expect(r1.errors.join('\n')).toMatch(/TLS verification failed/);
    expect(collector.requests).toBe(before);

    const r2 = await deliverFindings(loadDemoFindings(), hec(), { ...opts(), env: { VP_HEC_TOKEN: 'wrong-token' } });
    expect(r2).toMatchObject({ sent: 0, spooled: 16 });
    expect(r2.errors.join('\n')).toMatch(/HTTP 401/);
    expect(collector.requests).toBe(before + 1); // one attempt, not retried

    const r3 = await deliverFindings(loadDemoFindings(), hec(), { ...opts(), env: {} });
    expect(r3.errors.join('\n')).toMatch(/environment variable VP_HEC_TOKEN \(token_env\) is not set/);
    expect(r3.spooled).toBe(16);
  });

  it('never puts the token in an error, even when the server echoes it back', async () => {
    collector.mode = 'reject';
    const report = await deliverFindings(loadDemoFindings(), hec(), opts());
    const text = JSON.stringify(report);
    expect(text).toMatch(/HTTP 400/);
    expect(text).toContain('[redacted]');
    expect(text).not.toContain(HEC_TOKEN);
  });
});
