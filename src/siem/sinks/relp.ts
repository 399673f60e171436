/**
 * Syslog over RELP (rsyslog's Reliable Event Logging Protocol; rsyslog `imrelp`, librelp): every
 * event is a `syslog` command the server answers with `rsp 200` once it has taken the event over.
 * An event counts as delivered only on that answer: a session that is refused, reset, closed, stays
 * silent past the timeout or answers anything but 200 leaves the unanswered events undelivered (they
 * are retried, then spooled), while the ones already answered are reported through `onConfirmed` and
 * never resent.
 *
 * Over TCP, or TLS with `tls=1` (verified against `ca`, optionally with a client certificate).
 *
 * One session per chunk: `open` (offers relp_version=0, commands=syslog; the server must answer 200
 * and offer `syslog`), the chunk's events pipelined within a window, then `close` (answered by `rsp`).
 */
import { hostname as osHostname } from 'node:os';
import type { Socket } from 'node:net';
import { TransientError } from '../../util/retry.js';
import { TOOL_VERSION } from '../../version.js';
import { encodeRelpFrame, parseRelpResponse, RelpFrameReader, relpOpenOffers, type RelpFrame } from '../relp-frame.js';
import type { SyslogSink } from '../spec.js';
import { formatRfc5424 } from '../syslog-frame.js';
import { connectSyslog, isTlsTrustError, tlsOptionsOf } from './transport.js';
import { PermanentSinkError, type Sink } from './types.js';
import { ownPid } from '../../util/host-process.js';

/** Commands in flight before we wait for answers (librelp's default window is 128). */
const WINDOW = 128;

export function openRelpSink(spec: SyslogSink): Sink {
  const header = { facility: spec.facility, hostname: spec.hostname ?? osHostname(), appName: spec.appName, procId: String(ownPid()) };
  const where = `syslog+relp ${spec.host}:${spec.port}`;
  const tls = tlsOptionsOf(spec);
  return {
    confirmed: true,
    send(chunk, signal, onConfirmed) {
      const messages = chunk.map((e) => formatRfc5424(e, header));
      return new Promise<void>((resolve, reject) => {
        const reader = new RelpFrameReader();
        let socket: Socket | undefined;
        let settled = false;
        let nextTxnr = 1;
        let sentUpTo = 0; // messages written
        let confirmed = 0; // messages answered 200, in order
        let phase: 'open' | 'syslog' | 'close' = 'open';
        /** txnr -> what it was: 'open', 'close' or the message index. */
        const inFlight = new Map<number, 'open' | 'close' | number>();

        const finish = (err?: Error) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          if (err) {
            socket?.destroy();
            reject(err);
          } else {
            socket?.end();
            resolve();
          }
        };
        const unconfirmedLeft = () => `${chunk.length - confirmed} of ${chunk.length} event(s) of the chunk not acknowledged`;
        let timer: NodeJS.Timeout | undefined;
        const armTimer = () => {
          clearTimeout(timer);
          timer = setTimeout(
            () => finish(Object.assign(new Error(`${where}: no RELP answer within ${spec.timeoutMs} ms (${unconfirmedLeft()})`), { code: 'ETIMEDOUT' })),
            spec.timeoutMs,
          );
        };
        const onAbort = () => finish(new Error('aborted'));
        signal?.addEventListener('abort', onAbort, { once: true });
        armTimer();

        const command = (what: 'open' | 'close' | number, name: string, data: string) => {
          const txnr = nextTxnr++;
          inFlight.set(txnr, what);
          socket!.write(encodeRelpFrame(txnr, name, data));
        };
        const pump = () => {
          // One write for the whole window: a server answering each of many small segments at once
          // (Nagle on its side) would otherwise wait for our delayed ACK, ~40 ms a session.
          socket!.cork();
          while (phase === 'syslog' && sentUpTo < messages.length && inFlight.size < WINDOW) {
            command(sentUpTo, 'syslog', messages[sentUpTo]!);
            sentUpTo++;
          }
          // `close` goes right behind the last event: answers come in order, so its answer follows
          // theirs (and a server that batches its answers sends them at once).
          if (phase === 'syslog' && sentUpTo === messages.length) {
            phase = 'close';
            command('close', 'close', '');
          }
          socket!.uncork();
        };
        const onFrame = (f: RelpFrame) => {
          if (f.command === 'serverclose') {
            finish(new TransientError(`${where}: the server closed the session (${unconfirmedLeft()})`));
            return;
          }
          if (f.command !== 'rsp') {
            finish(new PermanentSinkError(`${where}: unexpected RELP command "${f.command}" from the server`));
            return;
          }
          const what = inFlight.get(f.txnr);
          if (what === undefined) {
            finish(new PermanentSinkError(`${where}: RELP answer for unknown transaction ${f.txnr}`));
            return;
          }
          // Answers come in the order of the commands (RELP): anything else is a broken server.
          const first = inFlight.keys().next().value;
          if (f.txnr !== first) {
            finish(new PermanentSinkError(`${where}: RELP answer for transaction ${f.txnr} before ${first}`));
            return;
          }
          inFlight.delete(f.txnr);
          // The answer to `close` may carry no status at all (librelp sends `N rsp 0`).
          if (what === 'close') {
            if (confirmed === messages.length) finish();
            else finish(new TransientError(`${where}: session closed (${unconfirmedLeft()})`));
            return;
          }
          const rsp = parseRelpResponse(f.data);
          if (what === 'open') {
            if (rsp.code !== 200) return finish(new TransientError(`${where}: the server refused the RELP session (${rsp.code} ${rsp.text})`.trim()));
            const commands = (rsp.offers.get('commands') ?? '').split(',');
            if (!commands.includes('syslog')) return finish(new PermanentSinkError(`${where}: the RELP server does not offer the syslog command`));
            phase = 'syslog';
          } else {
            if (rsp.code !== 200) return finish(new TransientError(`${where}: event refused (${rsp.code} ${rsp.text}; ${unconfirmedLeft()})`.trim()));
            confirmed = what + 1;
            onConfirmed?.(confirmed);
          }
          armTimer();
          pump();
        };

        try {
          socket = connectSyslog(spec, tls, () => command('open', 'open', relpOpenOffers(`vaultproof,${TOOL_VERSION}`)));
        } catch (err) {
          finish(err as Error);
          return;
        }
        socket.setNoDelay(true); // small commands answered one by one: no Nagle delay
        socket.on('data', (d: Buffer) => {
          let frames: RelpFrame[];
          try {
            frames = reader.push(d);
          } catch (err) {
            finish(new PermanentSinkError(`${where}: ${(err as Error).message}`));
            return;
          }
          for (const f of frames) {
            if (settled) return;
            try {
              onFrame(f);
            } catch (err) {
              finish(new PermanentSinkError(`${where}: ${(err as Error).message}`));
            }
          }
        });
        socket.on('error', (err: NodeJS.ErrnoException) => {
          if (tls && isTlsTrustError(err)) finish(new PermanentSinkError(`${where}: TLS verification failed (${err.code ?? err.message})`));
          else finish(Object.assign(new Error(`${where}: ${err.message} (${unconfirmedLeft()})`), { code: err.code, cause: err }));
        });
        socket.on('close', () => finish(new TransientError(`${where}: connection closed (${unconfirmedLeft()})`)));
      });
    },
    async close() {},
  };
}
