/**
 * RELP (Reliable Event Logging Protocol, rsyslog/librelp) framing:
 *
 *   FRAME   = TXNR SP COMMAND SP DATALEN [SP DATA] LF      (no SP DATA when DATALEN is 0)
 *   TXNR    = 1..999999999, increasing per session, 1 on `open`
 *   rsp DATA = CODE [SP TEXT] [LF RESPONSE-DATA]           (CODE 200 = processed)
 *
 * The server answers every command with `rsp` carrying the command's TXNR, in order; it may send
 * `serverclose` (TXNR 0) before it drops the session. Only a `200` answer acknowledges an event.
 */

export interface RelpFrame {
  txnr: number;
  command: string;
  data: Buffer;
}

export class RelpProtocolError extends Error {
  constructor(message: string) {
    super(`RELP: ${message}`);
    this.name = 'RelpProtocolError';
  }
}

export const RELP_MAX_TXNR = 999_999_999;
/** Bound on a server frame (a response is a status line and a few offers). */
const MAX_SERVER_FRAME = 128 * 1024;

export function encodeRelpFrame(txnr: number, command: string, data: string | Buffer = ''): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const head = body.length > 0 ? `${txnr} ${command} ${body.length} ` : `${txnr} ${command} 0`;
  return Buffer.concat([Buffer.from(head, 'ascii'), body, Buffer.from('\n', 'ascii')]);
}

/** The offers of our `open` command: RELP version 0, the syslog command only. */
export function relpOpenOffers(software: string): string {
  return `relp_version=0\nrelp_software=${software}\ncommands=syslog`;
}

/** Status code and text of an `rsp` frame, and the server's offers (`key=value` lines) when it has any. */
export function parseRelpResponse(data: Buffer): { code: number; text: string; offers: Map<string, string> } {
  const s = data.toString('utf8');
  const nl = s.indexOf('\n');
  const status = nl >= 0 ? s.slice(0, nl) : s;
  const m = /^(\d{3})(?: (.*))?$/.exec(status);
  if (!m) throw new RelpProtocolError(`malformed response status ${JSON.stringify(status.slice(0, 40))}`);
  const offers = new Map<string, string>();
  if (nl >= 0) {
    for (const line of s.slice(nl + 1).split('\n')) {
      if (line === '') continue;
      const eq = line.indexOf('=');
      offers.set(eq >= 0 ? line.slice(0, eq) : line, eq >= 0 ? line.slice(eq + 1) : '');
    }
  }
  return { code: Number(m[1]), text: m[2] ?? '', offers };
}

/** Incremental parser of the frames a RELP server sends. */
export class RelpFrameReader {
  private buf: Buffer = Buffer.alloc(0);

  /** Adds received bytes; returns the frames now complete. Throws RelpProtocolError on malformed input. */
  push(bytes: Buffer): RelpFrame[] {
    this.buf = this.buf.length === 0 ? bytes : Buffer.concat([this.buf, bytes]);
    const frames: RelpFrame[] = [];
    for (;;) {
      const f = this.next();
      if (!f) break;
      frames.push(f);
    }
    if (this.buf.length > MAX_SERVER_FRAME) throw new RelpProtocolError(`server frame longer than ${MAX_SERVER_FRAME} bytes`);
    return frames;
  }

  private next(): RelpFrame | undefined {
    // Header: TXNR SP COMMAND SP DATALEN, at most 9 + 1 + 32 + 1 + 9 characters.
    const headEnd = Math.min(this.buf.length, 64);
    const head = this.buf.subarray(0, headEnd).toString('latin1');
    const m = /^(\d{1,9}) ([A-Za-z]{1,32}) (\d{1,9})([ \n])?/.exec(head);
    if (!m) {
      if (/^\d{0,9}( [A-Za-z]{0,32}( \d{0,9})?)?$/.test(head) && headEnd < 64) return undefined; // incomplete header
      throw new RelpProtocolError(`malformed frame header ${JSON.stringify(head.slice(0, 40))}`);
    }
    if (m[4] === undefined) return undefined;
    const len = Number(m[3]);
    const headerLen = m[0].length;
    if (len === 0) {
      if (m[4] !== '\n') throw new RelpProtocolError('frame with DATALEN 0 carries data');
      const frame = { txnr: Number(m[1]), command: m[2]!, data: Buffer.alloc(0) };
      this.buf = this.buf.subarray(headerLen);
      return frame;
    }
    if (m[4] !== ' ') throw new RelpProtocolError(`frame announces ${len} bytes of data but has none`);
    if (len > MAX_SERVER_FRAME) throw new RelpProtocolError(`server frame of ${len} bytes is past the ${MAX_SERVER_FRAME} byte bound`);
    if (this.buf.length < headerLen + len + 1) return undefined;
    if (this.buf[headerLen + len] !== 0x0a) throw new RelpProtocolError('frame not terminated by LF after DATALEN bytes');
    const frame = { txnr: Number(m[1]), command: m[2]!, data: Buffer.from(this.buf.subarray(headerLen, headerLen + len)) };
    this.buf = this.buf.subarray(headerLen + len + 1);
    return frame;
  }
}
