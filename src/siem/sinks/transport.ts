/** The connection of the syslog sinks (plain syslog and RELP): TCP, or TLS verified against the spec's CA. */
import { readFileSync } from 'node:fs';
import { isIP, connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import type { SyslogSink } from '../spec.js';
import { PermanentSinkError } from './types.js';

function readPem(what: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new PermanentSinkError(`cannot read the TLS ${what} file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

/** TLS options of the spec (files read once, when the sink opens), or undefined for plain TCP. */
export function tlsOptionsOf(spec: SyslogSink): ConnectionOptions | undefined {
  if (!spec.tls) return undefined;
  return {
    ca: spec.tls.caFile ? readPem('CA', spec.tls.caFile) : undefined,
    cert: spec.tls.certFile ? readPem('certificate', spec.tls.certFile) : undefined,
    key: spec.tls.keyFile ? readPem('key', spec.tls.keyFile) : undefined,
    servername: spec.tls.servername ?? (isIP(spec.host) ? undefined : spec.host),
    minVersion: 'TLSv1.2',
  };
}

export function connectSyslog(spec: SyslogSink, tls: ConnectionOptions | undefined, onConnected: () => void): Socket | TLSSocket {
  return tls ? tlsConnect({ host: spec.host, port: spec.port, ...tls }, onConnected) : tcpConnect({ host: spec.host, port: spec.port }, onConnected);
}

export function isTlsTrustError(err: NodeJS.ErrnoException): boolean {
  const code = err.code ?? '';
  return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME/.test(code);
}
