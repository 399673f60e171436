/**
 * Issue 21: a receiver that accepts the connection and closes it without reading got 0 of 2,208
 * events while vaultproof reported "sent 2208/2208, 0 pending" and emptied the spool. Nothing a
 * receiver did not confirm may be reported delivered, and the spool keeps every unconfirmed event.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FindingsDocument } from '../../src/findings/types.js';
import { buildSiemEvents, deliverFindings, parseSinkSpec, spoolDirFor, type DeliveryOptions } from '../../src/siem/index.js';
import { Spool } from '../../src/siem/spool.js';
import { demoContext, syntheticFindings } from '../fixtures/siem/fixture.js';
import { startBlackHole, type BlackHole, type BlackHoleMode } from './helpers/black-hole.js';

const ctx = demoContext();
const dirs: string[] = [];
const holes: BlackHole[] = [];
afterAll(async () => {
  for (const h of holes) await h.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const opts = (): DeliveryOptions => {
  const d = mkdtempSync(join(tmpdir(), 'vp-blackhole-'));
  dirs.push(d);
  return { ctx, spoolDir: d, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 } };
};
const hole = async (mode: BlackHoleMode, ack = 0) => {
  const h = await startBlackHole(mode, ack);
  holes.push(h);
  return h;
};
const doc2208 = (id: string): FindingsDocument => {
  const d = syntheticFindings(2206);
  return { ...d, scan: { ...d.scan, id } };
};
const spooledUids = async (o: DeliveryOptions, spec: string) =>
  (await new Spool(spoolDirFor(o.spoolDir!, parseSinkSpec(spec))).pending(() => {})).flatMap((e) => e.events.map((x) => x.uid));

describe('black-hole receivers: nothing unconfirmed is reported delivered', () => {
  for (const mode of ['close', 'drain'] as const) {
    it(`RELP, a receiver that ${mode === 'close' ? 'accepts and closes without reading' : 'reads and never answers'}: 0 sent, all 2,208 events kept in the spool`, async () => {
      const h = await hole(mode);
      const o = opts();
      const doc = doc2208(`black-hole-${mode}`);
      const spec = `syslog+relp://127.0.0.1:${h.port}?batch=${mode === 'close' ? 10 : 100}&timeout_ms=300`;
      const r = await deliverFindings(doc, spec, o);
      expect(r).toMatchObject({ events: 2208, sent: 0, unconfirmed: 0, spooled: 2208, failed: 0, spool_pending: 2208, delivered_all: false });
      expect(h.connections).toBeGreaterThan(0);
      expect(await spooledUids(o, spec)).toEqual(buildSiemEvents(doc, ctx, 'ocsf').map((e) => e.uid));

      // The next run resends the spool first; the receiver still confirms nothing: the spool keeps it all.
      const r2 = await deliverFindings(doc2208(`black-hole-${mode}-2`), spec, o);
      expect(r2).toMatchObject({ resent_from_spool: 0, sent: 0, spooled: 2208, spool_pending: 4416, delivered_all: false });
    });
  }

  it('RELP, a receiver that acknowledges 7 events of a chunk of 10 and drops the connection: 7 sent, the other 3 (and the rest) spooled, nothing twice', async () => {
    const h = await hole('relp-ack-then-drop', 7);
    const o = opts();
    const doc = syntheticFindings(28); // 30 events, 3 chunks of 10
    const spec = `syslog+relp://127.0.0.1:${h.port}?batch=10&timeout_ms=500`;
    const r = await deliverFindings(doc, spec, o);
    expect(r).toMatchObject({ events: 30, sent: 7, spooled: 23, spool_pending: 23, failed: 0, delivered_all: false });
    expect(await spooledUids(o, spec)).toEqual(buildSiemEvents(doc, ctx, 'ocsf').slice(7).map((e) => e.uid));
  });

  it('RELP, a receiver that answers 500 to every event: 0 sent, everything spooled', async () => {
    const h = await hole('relp-refuse');
    const o = opts();
    const r = await deliverFindings(syntheticFindings(8), `syslog+relp://127.0.0.1:${h.port}?timeout_ms=500`, o);
    expect(r).toMatchObject({ events: 10, sent: 0, spooled: 10, spool_pending: 10 });
    expect(r.errors.join('\n')).toMatch(/event refused \(500 refused/);
  });

  it('plain syslog over TCP or TLS without unconfirmed=1 is refused: it cannot confirm delivery', () => {
    expect(() => parseSinkSpec('syslog+tcp://127.0.0.1:514')).toThrow(/no acknowledgement.*syslog\+relp:\/\/HOST:PORT.*unconfirmed=1/);
    expect(() => parseSinkSpec('syslog+tls://127.0.0.1:6514?ca=/ca.pem')).toThrow(/no acknowledgement/);
    expect(() => parseSinkSpec('syslog+tcp://127.0.0.1:514?unconfirmed=yes')).toThrow(/unconfirmed must be 1 or true/);
  });

  for (const mode of ['close', 'drain'] as const) {
    it(`plain TCP with unconfirmed=1 to a receiver that ${mode === 'close' ? 'closes without reading' : 'reads and drops'}: nothing reported delivered (batch=10)`, async () => {
      const h = await hole(mode);
      const o = opts();
      const logs: string[] = [];
      const r = await deliverFindings(doc2208(`tcp-black-hole-${mode}`), `syslog+tcp://127.0.0.1:${h.port}?unconfirmed=1&batch=10&timeout_ms=300`, { ...o, log: (l) => logs.push(l) });
      expect(r.sent).toBe(0);
      expect(r.resent_from_spool).toBe(0);
      expect(r.delivered_all).toBe(false);
      expect(r.unconfirmed + r.spooled + r.failed).toBe(2208);
      expect(logs.at(-1)).toMatch(/sent, unconfirmed \d+\/2208 \(plain syslog has no acknowledgement: none confirmed as delivered\)/);
      expect(logs.at(-1)).not.toMatch(/sent 2208\/2208/);
    });
  }
});
