/**
 * Delivery to a real rsyslogd (Debian packages rsyslog, rsyslog-gnutls, rsyslog-relp), started by the
 * test on loopback with TCP, TLS and RELP inputs, including an outage in the middle of a batch. RELP
 * is the confirmed transport: every event it reports delivered is in rsyslog's output file. Plain
 * TCP/TLS syslog is unconfirmed: what it writes is reported "sent, unconfirmed", never delivered.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FindingsDocument } from '../../src/findings/types.js';
import { buildSiemEvents, deliverFindings, type DeliveryOptions } from '../../src/siem/index.js';
import { demoContext, loadDemoFindings, syntheticFindings } from '../fixtures/siem/fixture.js';
import { mintPki, type TestPki } from './helpers/certs.js';
import { describeWith, findBinary } from './helpers/prereq.js';
import { startRsyslog, type Rsyslog } from './helpers/rsyslog.js';

const rsyslogd = findBinary('rsyslogd');
const openssl = findBinary('openssl');
const rsyslogModule = (name: string) =>
  ['/usr/lib/x86_64-linux-gnu/rsyslog', '/usr/lib/aarch64-linux-gnu/rsyslog', '/usr/lib/rsyslog'].map((d) => join(d, name)).find((p) => existsSync(p));
const ready = rsyslogd && openssl && rsyslogModule('lmnsd_gtls.so') && rsyslogModule('imrelp.so') ? rsyslogd : undefined;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const ctx = demoContext();
const fastRetry = { attempts: 3, baseDelayMs: 20, maxDelayMs: 200 };

describeWith('rsyslogd with the gtls driver and imrelp, and openssl', ready, 'Debian packages rsyslog, rsyslog-gnutls, rsyslog-relp, openssl')('syslog sinks against a real rsyslogd', () => {
  let pki: TestPki;
  let rsyslog: Rsyslog;
  const tempDirs: string[] = [];
  const opts = (extra: Partial<DeliveryOptions> = {}): DeliveryOptions => ({
    ctx,
    spoolDir: tempDir('vp-spool-'),
    retry: fastRetry,
    ...extra,
  });

  const tempDir = (prefix: string) => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    tempDirs.push(d);
    return d;
  };

  beforeAll(async () => {
    pki = mintPki(openssl!);
    rsyslog = await startRsyslog(rsyslogd!, pki);
  });
  afterAll(async () => {
    await rsyslog?.stop();
    for (const d of [...tempDirs, rsyslog?.dir, pki?.dir]) if (d) rmSync(d, { recursive: true, force: true });
  });

  const since = (n: number) => rsyslog.received().slice(n);

  it('delivers every OCSF event over RELP as an RFC 5424 message rsyslog parses, each one acknowledged', async () => {
    const before = rsyslog.received().length;
    const doc = loadDemoFindings();
    const report = await deliverFindings(doc, `syslog+relp://127.0.0.1:${rsyslog.relpPort}?batch=5&facility=13`, opts());
    expect(report).toMatchObject({ events: doc.findings.length + 2, sent: doc.findings.length + 2, unconfirmed: 0, spooled: 0, failed: 0, spool_pending: 0, delivered_all: true });
    await rsyslog.waitFor(before + report.events);
    const got = since(before);
    expect(got).toHaveLength(report.events);
    const events: Json[] = got.map((r) => JSON.parse(r.msg));
    expect(events[0].class_uid).toBe(6007);
    expect(events.at(-1).activity_id).toBe(2);
    expect(events.slice(1, -1).map((e) => e.finding_info.uid)).toEqual(doc.findings.map((f) => f.fingerprint));
    for (const [i, r] of got.entries()) {
      expect(r.app).toBe('vaultproof');
      expect(r.msgid).toBe(i === 0 ? 'scan-open' : i === got.length - 1 ? 'scan-close' : doc.findings[i - 1]!.rule_id);
      expect(Math.floor(r.pri / 8)).toBe(13);
      expect(events[i].metadata.correlation_uid).toBe(doc.scan.correlation_id);
    }
    // The critical failure travels with syslog severity 2 (crit).
    const crit = got.findIndex((r, i) => i > 0 && events[i].finding_info?.uid === doc.findings.find((f) => f.severity === 'critical' && f.status === 'fail')!.fingerprint);
    expect(got[crit]!.pri % 8).toBe(2);
  });

  it('RELP: a large batch (2,208 events, batch=10) arrives whole in rsyslog\'s output file, in order', async () => {
    const before = rsyslog.received().length;
    const doc: FindingsDocument = { ...syntheticFindings(2206), scan: { ...syntheticFindings(2206).scan, id: 'relp-2208' } };
    const o = opts();
    const report = await deliverFindings(doc, `syslog+relp://127.0.0.1:${rsyslog.relpPort}?batch=10`, o);
    expect(report).toMatchObject({ events: 2208, sent: 2208, spooled: 0, failed: 0, spool_pending: 0, delivered_all: true });
    const got = (await rsyslog.waitFor(before + 2208, 30_000)).slice(before);
    expect(got.map((r) => (JSON.parse(r.msg) as Json).metadata.uid)).toEqual(buildSiemEvents(doc, ctx, 'ocsf').map((e) => e.uid));
  });

  it('RELP over TLS (tls=1, verified against the CA, client certificate): every CEF event acknowledged and in rsyslog\'s output; another CA is refused', async () => {
    const before = rsyslog.received().length;
    const doc = loadDemoFindings();
    const clientAuth = `cert=${encodeURIComponent(pki.clientCert)}&key=${encodeURIComponent(pki.clientKey)}`;
    const report = await deliverFindings(doc, `syslog+relp://127.0.0.1:${rsyslog.relpTlsPort}?tls=1&ca=${encodeURIComponent(pki.caCert)}&${clientAuth}&format=cef`, opts());
    expect(report).toMatchObject({ sent: doc.findings.length + 2, spooled: 0, failed: 0, spool_pending: 0, delivered_all: true });
    const got = (await rsyslog.waitFor(before + report.events)).slice(before);
    expect(got).toHaveLength(report.events);
    expect(got.every((r) => r.msg.startsWith('CEF:0|vaultproof|vaultproof|'))).toBe(true);

    const refused = await deliverFindings(doc, `syslog+relp://127.0.0.1:${rsyslog.relpTlsPort}?tls=1&ca=${encodeURIComponent(pki.otherCaCert)}&${clientAuth}`, opts());
    expect(refused).toMatchObject({ sent: 0, spooled: refused.events, delivered_all: false });
    expect(refused.errors.join('\n')).toMatch(/TLS verification failed/);
  });

  it('plain TCP syslog is unconfirmed: rsyslog gets the events, the report never calls them delivered', async () => {
    const before = rsyslog.received().length;
    const doc = loadDemoFindings();
    const report = await deliverFindings(doc, `syslog+tcp://127.0.0.1:${rsyslog.tcpPort}?unconfirmed=1&batch=5`, opts());
    expect(report).toMatchObject({ events: doc.findings.length + 2, sent: 0, unconfirmed: doc.findings.length + 2, spooled: 0, failed: 0, delivered_all: false });
    expect((await rsyslog.waitFor(before + report.events)).slice(before)).toHaveLength(report.events);
  });

  it('plain TLS syslog (CEF, verifying the server against the given CA) is unconfirmed too', async () => {
    const before = rsyslog.received().length;
    const doc = loadDemoFindings();
    const report = await deliverFindings(doc, `syslog+tls://127.0.0.1:${rsyslog.tlsPort}?unconfirmed=1&ca=${encodeURIComponent(pki.caCert)}&format=cef`, opts());
    expect(report).toMatchObject({ sent: 0, unconfirmed: doc.findings.length + 2, spooled: 0, failed: 0, delivered_all: false });
    const got = (await rsyslog.waitFor(before + report.events)).slice(before);
    expect(got).toHaveLength(report.events);
    expect(got.every((r) => r.msg.startsWith('CEF:0|vaultproof|vaultproof|'))).toBe(true);
    expect(got[0]!.msg).toContain('VP-SCAN-START');
    expect(got.at(-1)!.msg).toContain(`cnt=${doc.findings.length}`);
    // Non-ASCII resource paths arrive intact.
    expect(got.some((r) => r.msg.includes('ünïcode-tôken'))).toBe(true);
  });

  it('refuses a TLS server its CA does not vouch for, and spools the batch', async () => {
    const before = rsyslog.received().length;
    const o = opts();
    const report = await deliverFindings(loadDemoFindings(), `syslog+tls://127.0.0.1:${rsyslog.tlsPort}?unconfirmed=1&ca=${encodeURIComponent(pki.otherCaCert)}`, o);
    expect(report.sent).toBe(0);
    expect(report.spooled).toBe(report.events);
    expect(report.errors.join('\n')).toMatch(/TLS verification failed/);
    await new Promise((r) => setTimeout(r, 300));
    expect(rsyslog.received().length).toBe(before);
  });

  for (const transport of ['relp', 'tcp', 'tls'] as const) {
    const confirmed = transport === 'relp';
    it(`an rsyslog outage in the middle of a batch (${transport}) loses and duplicates nothing`, async () => {
      const before = rsyslog.received().length;
      const o = opts();
      const port = transport === 'tcp' ? rsyslog.tcpPort : transport === 'tls' ? rsyslog.tlsPort : rsyslog.relpPort;
      const spec = `syslog+${transport}://127.0.0.1:${port}?batch=4${transport === 'tls' ? `&ca=${encodeURIComponent(pki.caCert)}` : ''}${confirmed ? '' : '&unconfirmed=1'}`;
      const first: FindingsDocument = { ...syntheticFindings(30), scan: { ...syntheticFindings(30).scan, id: `outage-${transport}-1` } };
      const second: FindingsDocument = { ...syntheticFindings(9), scan: { ...syntheticFindings(9).scan, id: `outage-${transport}-2` } };

      let chunks = 0;
      const r1 = await deliverFindings(first, spec, {
        ...o,
        onChunk: async (c) => {
          if (c.source === 'new' && c.outcome === 'sent' && ++chunks === 3) await rsyslog.stop();
        },
      });
      expect(confirmed ? r1.sent : r1.unconfirmed).toBe(12); // three chunks of four went through before the outage
      expect(confirmed ? r1.unconfirmed : r1.sent).toBe(0);
      expect(r1.spooled).toBe(r1.events - 12);
      expect(r1.failed).toBe(0);
      expect(r1.spool_pending).toBe(r1.events - 12);
      const spoolFiles = readdirSync(join(o.spoolDir!, readdirSync(o.spoolDir!)[0]!)).filter((f) => f.endsWith('.jsonl'));
      expect(spoolFiles.length).toBeGreaterThan(0);

      await rsyslog.start();
      const r2 = await deliverFindings(second, spec, o);
      expect(r2).toMatchObject(
        confirmed
          ? { resent_from_spool: r1.events - 12, sent: r2.events, spooled: 0, failed: 0, spool_pending: 0, delivered_all: true }
          : { resent_unconfirmed: r1.events - 12, unconfirmed: r2.events, resent_from_spool: 0, sent: 0, spooled: 0, failed: 0, spool_pending: 0, delivered_all: false },
      );

      const expectedUids = [...buildSiemEvents(first, ctx, 'ocsf'), ...buildSiemEvents(second, ctx, 'ocsf')].map((e) => e.uid);
      const got = (await rsyslog.waitFor(before + expectedUids.length)).slice(before);
      const uids = got.map((r) => (JSON.parse(r.msg) as Json).metadata.uid as string);
      expect(uids.length).toBe(expectedUids.length); // nothing duplicated
      expect(new Set(uids)).toEqual(new Set(expectedUids)); // nothing lost
      expect(uids).toEqual(expectedUids); // and in order: the spool went first
    });
  }
});
