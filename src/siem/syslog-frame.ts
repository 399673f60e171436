/**
 * RFC 5424 messages with RFC 6587 / RFC 5425 octet-counting framing: `MSG-LEN SP SYSLOG-MSG`.
 * Octet counting lets a message contain any byte (JSON with spaces, CEF with pipes) without relying
 * on a trailer character.
 */
import type { SiemEvent } from './events.js';

export interface SyslogHeaderOptions {
  facility: number;
  hostname: string;
  appName: string;
  procId?: string;
}

/** PRINTUSASCII (33..126) of at most `max` characters, '-' when empty. */
function headerField(v: string, max: number): string {
  const clean = v.replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return clean.length > 0 ? clean : '-';
}

export function formatRfc5424(e: SiemEvent, o: SyslogHeaderOptions): string {
  const pri = o.facility * 8 + e.syslogSeverity;
  const ts = new Date(e.time).toISOString();
  return `<${pri}>1 ${ts} ${headerField(o.hostname, 255)} ${headerField(o.appName, 48)} ${headerField(o.procId ?? '-', 128)} ${headerField(e.msgid, 32)} - ${e.body}`;
}

export function octetFrame(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}
