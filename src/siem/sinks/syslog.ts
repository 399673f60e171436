/**
 * Plain syslog over TCP (RFC 6587) and TLS (RFC 5425), RFC 5424 messages, octet-counting framing.
 *
 * Plain syslog has no acknowledgement, so this sink is *unconfirmed*: nothing it writes is ever
 * reported as delivered. A receiver that accepts the connection and closes it without reading, or
 * reads and drops, looks exactly like one that stored everything — a client cannot tell them apart
 * (the receiver's FIN may even overtake our data). What this sink can tell is failure: a refused or
 * reset connection, a TLS trust error, a timeout or a close before our data and FIN went out make
 * `send` throw, and the chunk is retried or spooled. A chunk that was written without any such sign
 * is "sent, unconfirmed". For delivery that is confirmed event by event use RELP (sinks/relp.ts).
 */
import { hostname as osHostname } from 'node:os';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { TransientError } from '../../util/retry.js';
import type { SyslogSink } from '../spec.js';
import { formatRfc5424, octetFrame } from '../syslog-frame.js';
import { connectSyslog, isTlsTrustError, tlsOptionsOf } from './transport.js';
import { PermanentSinkError, type Sink } from './types.js';
import { ownPid } from '../../util/host-process.js';

export function openSyslogSink(spec: SyslogSink): Sink {
  const header = { facility: spec.facility, hostname: spec.hostname ?? osHostname(), appName: spec.appName, procId: String(ownPid()) };
  const tlsOptions = tlsOptionsOf(spec);

  return {
    confirmed: false,
    send(chunk, signal) {
      const payload = Buffer.concat(chunk.map((e) => octetFrame(formatRfc5424(e, header))));
      return new Promise<void>((resolve, reject) => {
        let settled = false;
        let peerEnded = false;
        const finish = (err?: Error) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          if (err) {
            socket.destroy();
            reject(err);
          } else resolve();
        };
        const timer = setTimeout(() => finish(Object.assign(new Error(`syslog ${spec.host}:${spec.port}: no close within ${spec.timeoutMs} ms`), { code: 'ETIMEDOUT' })), spec.timeoutMs);
        const onAbort = () => finish(new Error('aborted'));
        signal?.addEventListener('abort', onAbort, { once: true });
        const onConnected = () => {
          socket.write(payload);
          socket.end();
        };
        const socket: Socket | TLSSocket = connectSyslog(spec, tlsOptions, onConnected);
        socket.on('data', () => {
          /* a syslog receiver does not talk back; ignore anything it sends */
        });
        socket.on('end', () => {
          peerEnded = true;
        });
        socket.on('error', (err: NodeJS.ErrnoException) => {
          if (tlsOptions && isTlsTrustError(err)) {
            finish(new PermanentSinkError(`syslog+tls ${spec.host}:${spec.port}: TLS verification failed (${err.code ?? err.message})`));
          } else {
            finish(err);
          }
        });
        socket.on('close', (hadError) => {
          if (hadError) return; // 'error' already settled it
          if (peerEnded && socket.bytesWritten >= payload.length) finish();
          else finish(new TransientError(`syslog ${spec.host}:${spec.port}: connection closed before the chunk was written`));
        });
      });
    },
    async close() {},
  };
}
