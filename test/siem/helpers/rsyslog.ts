/**
 * Starts a private rsyslogd (foreground, own config, own work dir, loopback ports) that accepts
 * syslog over TCP, over TLS (gtls driver) and over RELP (imrelp, Debian rsyslog-relp) and writes each message to a file as
 * `MSGID<TAB>APP-NAME<TAB>PRI<TAB>MSG`, so the test reads back exactly what arrived.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestPki } from './certs.js';
import { freePort, waitForPort } from './ports.js';

export interface Received {
  msgid: string;
  app: string;
  pri: number;
  msg: string;
}

export interface Rsyslog {
  dir: string;
  tcpPort: number;
  tlsPort: number;
  relpPort: number;
  /** RELP over TLS (imrelp tls="on", the test CA's server certificate). */
  relpTlsPort: number;
  outFile: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  received(): Received[];
  /** Waits until at least `n` messages arrived (or times out, returning what arrived). */
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  stderr(): string;
}

export async function startRsyslog(binary: string, pki: TestPki): Promise<Rsyslog> {
  const dir = mkdtempSync(join(tmpdir(), 'vp-rsyslog-'));
  const work = join(dir, 'work');
  mkdirSync(work);
  const outFile = join(dir, 'received.log');
  const tcpPort = await freePort();
  const tlsPort = await freePort();
  const relpPort = await freePort();
  const relpTlsPort = await freePort();
  const conf = join(dir, 'rsyslog.conf');
  writeFileSync(
    conf,
    `global(workDirectory="${work}" maxMessageSize="256k"
       defaultNetstreamDriverCAFile="${pki.caCert}"
       defaultNetstreamDriverCertFile="${pki.serverCert}"
       defaultNetstreamDriverKeyFile="${pki.serverKey}")
module(load="imtcp" maxSessions="200")
module(load="imrelp")
template(name="vpLine" type="list") {
  property(name="msgid") constant(value="\\t") property(name="app-name") constant(value="\\t")
  property(name="pri") constant(value="\\t") property(name="msg") constant(value="\\n")
}
ruleset(name="vpOut") { action(type="omfile" file="${outFile}" template="vpLine") }
input(type="imtcp" address="127.0.0.1" port="${tcpPort}" ruleset="vpOut")
input(type="imtcp" address="127.0.0.1" port="${tlsPort}" ruleset="vpOut"
      streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")
input(type="imrelp" address="127.0.0.1" port="${relpPort}" ruleset="vpOut" maxDataSize="256k")
input(type="imrelp" address="127.0.0.1" port="${relpTlsPort}" ruleset="vpOut" maxDataSize="256k"
      tls="on" tls.caCert="${pki.caCert}" tls.myCert="${pki.serverCert}" tls.myPrivKey="${pki.serverKey}"
      tls.authMode="name" tls.permittedPeer=["vaultproof-client"])
`,
  );
  const pidFile = join(dir, 'rsyslogd.pid');
  let child: ChildProcess | undefined;
  let err = '';

  const start = async () => {
    child = spawn(binary, ['-n', '-f', conf, '-i', pidFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const exited = new Promise<never>((_, reject) => child!.once('exit', (code) => reject(new Error(`rsyslogd exited (${code}) during start: ${err}`))));
    await Promise.race([Promise.all([waitForPort(tcpPort), waitForPort(tlsPort), waitForPort(relpPort), waitForPort(relpTlsPort)]), exited]);
  };
  const stop = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
      setTimeout(() => c.kill('SIGKILL'), 10_000).unref();
    });
  };
  const received = (): Received[] => {
    if (!existsSync(outFile)) return [];
    return readFileSync(outFile, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => {
        const [msgid, app, pri, ...msg] = l.split('\t');
        return { msgid: msgid!, app: app!, pri: Number(pri), msg: msg.join('\t') };
      });
  };
  await start();
  return {
    dir,
    tcpPort,
    tlsPort,
    relpPort,
    relpTlsPort,
    outFile,
    start,
    stop,
    received,
    stderr: () => err,
    async waitFor(n, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const r = received();
        if (r.length >= n || Date.now() > until) return r;
        await new Promise((res) => setTimeout(res, 100));
      }
    },
  };
}
