/**
 * Receivers that take a connection and deliver nothing, for the "nothing unconfirmed is reported as
 * delivered" tests: 'close' accepts and closes at once without reading; 'drain' reads everything and
 * never answers; 'relp-ack-then-drop' answers a RELP `open` and the first `ackEvents` syslog
 * commands with 200, then drops the connection; 'relp-refuse' answers every syslog command with 500.
 */
import { createServer, type Server, type Socket } from 'node:net';

export type BlackHoleMode = 'close' | 'drain' | 'relp-ack-then-drop' | 'relp-refuse';

export interface BlackHole {
  port: number;
  /** Connections accepted. */
  connections: number;
  /** Bytes read (modes that read). */
  bytesRead: number;
  close(): Promise<void>;
}

export function startBlackHole(mode: BlackHoleMode, ackEvents = 0): Promise<BlackHole> {
  const sockets = new Set<Socket>();
  const state = { connections: 0, bytesRead: 0 };
  let acked = 0;
  const server: Server = createServer((s) => {
    state.connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    if (mode === 'close') {
      s.destroy();
      return;
    }
    let buf = '';
    s.on('data', (d: Buffer) => {
      state.bytesRead += d.length;
      if (mode === 'drain') return;
      buf += d.toString('latin1');
      for (;;) {
        const m = /^(\d+) (\w+) (\d+)[ \n]/.exec(buf);
        if (!m) return;
        const len = Number(m[3]);
        const total = m[0].length + (len > 0 ? len + 1 : 0);
        if (buf.length < total) return;
        buf = buf.slice(total);
        const [txnr, cmd] = [m[1], m[2]];
        const rsp = (data: string) => s.write(`${txnr} rsp ${Buffer.byteLength(data)} ${data}\n`);
        if (cmd === 'open') rsp('200 OK\nrelp_version=0\nrelp_software=black-hole\ncommands=syslog');
        else if (cmd === 'syslog' && mode === 'relp-refuse') rsp('500 refused');
        else if (cmd === 'syslog' && acked < ackEvents) {
          acked++;
          rsp('200 OK');
        } else {
          s.destroy();
          return;
        }
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as { port: number }).port,
        get connections() {
          return state.connections;
        },
        get bytesRead() {
          return state.bytesRead;
        },
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}
