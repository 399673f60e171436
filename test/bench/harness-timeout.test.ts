/**
 * A measurement past its time limit ends every process it started, before it returns: a node process
 * that ignores SIGTERM and spins (as the CLI does when busy in a synchronous render: its SIGTERM
 * handler is JavaScript and never runs) is killed, and so is a child left behind by a command that
 * did end on the TERM. Checked by pid and by session id in /proc.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SETSID, sessionMembers, timed, TIME } from '../../bench/harness.js';
import { IN_CI } from '../support/prerequisites.js';

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'vp-bench-timeout-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The process `pid` exists and is not a zombie (a zombie has ended; only its exit status is left). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function haveTools(): boolean {
  const missing = [TIME, SETSID].filter((f) => !existsSync(f));
  if (!missing.length) return true;
  const reason = `${missing.join(', ')} missing (npm run setup)`;
  if (IN_CI) throw new Error(`prerequisite missing under CI: ${reason}`);
  console.warn(`SKIPPED: ${reason}`);
  return false;
}

/** Waits until `file` holds a pid (the child writes it once started). */
function pidFrom(file: string): number {
  expect(existsSync(file)).toBe(true);
  const pid = Number(readFileSync(file, 'utf8').trim());
  expect(pid).toBeGreaterThan(1);
  return pid;
}

describe('bench measurement past its time limit', () => {
  it('kills a node process that ignores SIGTERM and spins, and returns a timeout with its peak RSS', () => {
    if (!haveTools()) return;
    const pidFile = join(work, 'spinner.pid');
    const script = `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); process.on('SIGTERM',()=>{});for(;;){}`;
    const t0 = Date.now();
    const m = timed(process.execPath, ['-e', script], { timeoutS: 2, killAfterS: 1 });
    const seconds = (Date.now() - t0) / 1000;
    expect([m.status, m.error]).toEqual(['timeout', 'no result within 2 s']);
    // Ended by the KILL one second after the TERM, not by spawnSync's last resort (33 s).
    expect(seconds).toBeGreaterThanOrEqual(2);
    expect(seconds).toBeLessThan(20);
    const spinner = pidFrom(pidFile);
    expect(alive(spinner)).toBe(false);
    expect(m.pid).toBeDefined();
    expect(sessionMembers(m.pid as number)).toEqual([]);
    // /usr/bin/time saw the node process itself (a bare node is well over 20 MiB), not only `timeout`.
    expect(m.peak_rss_mib).toBeGreaterThan(20);
  });

  it('kills a child left behind when the command itself ends on the TERM', () => {
    if (!haveTools()) return;
    const pidFile = join(work, 'orphan.pid');
    // sh ends on the TERM; its background sleep (stdio detached, so nothing holds the pipes) would outlive it.
    const m = timed('sh', ['-c', `sleep 300 </dev/null >/dev/null 2>&1 & echo $! > ${pidFile}; wait`], { timeoutS: 1, killAfterS: 1 });
    expect(m.status).toBe('timeout');
    const orphan = pidFrom(pidFile);
    expect(alive(orphan)).toBe(false);
    expect(sessionMembers(m.pid as number)).toEqual([]);
  });

  it('leaves an ordinary run alone: ok, with its output, its time and its peak RSS', () => {
    if (!haveTools()) return;
    const m = timed(process.execPath, ['-e', 'console.log("done")'], { timeoutS: 30 });
    expect([m.status, m.stdout.trim()]).toEqual(['ok', 'done']);
    expect(m.wall_s).toBeGreaterThan(0);
    expect(m.peak_rss_mib).toBeGreaterThan(20);
    expect(sessionMembers(m.pid as number)).toEqual([]);
  });
});
