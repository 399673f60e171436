/**
 * Syslog over TCP (RFC 6587) and TLS (RFC 5425), RFC 5424 messages, octet-counting framing.
 *
 * Plain syslog has no application-level acknowledgement, so each chunk travels on its own
 * connection and the orderly close is the acknowledgement: we write the chunk, half-close (FIN), and
 * count the chunk delivered only when the receiver closes its side in turn — which it does after it
 * has read everything up to our FIN. A reset, a timeout or an early close leaves the chunk
 * unacknowledged, and it is retried or spooled. (The one case no plain-syslog client can tell apart —
 * the receiver read the data and then died before closing — is retried too: events carry stable ids
 * so a SIEM can drop such a repeat.)
 */
import { readFileSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { isIP, Socket, connect as tcpConnect } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { TransientError } from '../../collectors/shared/retry.js';
import type { SyslogSink } from '../spec.js';
import { formatRfc5424, octetFrame } from '../syslog-frame.js';
import { PermanentSinkError, type Sink } from './types.js';

function readPem(what: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new PermanentSinkError(`cannot read the TLS ${what} file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

export function openSyslogSink(spec: SyslogSink): Sink {
  const header = { facility: spec.facility, hostname: spec.hostname ?? osHostname(), appName: spec.appName, procId: String(process.pid) };
  const tlsOptions = spec.tls
    ? {
        ca: spec.tls.caFile ? readPem('CA', spec.tls.caFile) : undefined,
        cert: spec.tls.certFile ? readPem('certificate', spec.tls.certFile) : undefined,
        key: spec.tls.keyFile ? readPem('key', spec.tls.keyFile) : undefined,
        servername: spec.tls.servername ?? (isIP(spec.host) ? undefined : spec.host),
      }
    : undefined;

  return {
    send(chunk, signal) {
      const payload = Buffer.concat(chunk.map((e) => octetFrame(formatRfc5424(e, header))));
      return new Promise<void>((resolve, reject) => {
        let settled = false;
        let peerEnded = false;
        let socket: Socket | TLSSocket;
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
        const timer = setTimeout(() => finish(Object.assign(new Error(`syslog ${spec.host}:${spec.port}: no orderly close within ${spec.timeoutMs} ms`), { code: 'ETIMEDOUT' })), spec.timeoutMs);
        const onAbort = () => finish(new Error('aborted'));
        signal?.addEventListener('abort', onAbort, { once: true });
        const onConnected = () => {
          socket.write(payload);
          socket.end();
        };
        if (tlsOptions) {
          socket = tlsConnect({ host: spec.host, port: spec.port, ...tlsOptions, minVersion: 'TLSv1.2' }, onConnected);
        } else {
          socket = tcpConnect({ host: spec.host, port: spec.port }, onConnected);
        }
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
          else finish(new TransientError(`syslog ${spec.host}:${spec.port}: connection closed before the chunk was acknowledged`));
        });
      });
    },
    async close() {},
  };
}

function isTlsTrustError(err: NodeJS.ErrnoException): boolean {
  const code = err.code ?? '';
  return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME/.test(code);
}
