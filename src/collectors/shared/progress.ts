/**
 * Progress display for long collections: one self-overwriting line on a TTY (stderr), at most a few
 * redraws per second; silent when the stream is not a TTY or in CI, unless forced (`--progress`).
 */
import type { ProgressReporter } from '../types.js';

export interface ProgressStream {
  isTTY?: boolean;
  write(chunk: string): unknown;
}

export interface ProgressOptions {
  stream: ProgressStream;
  /** true: always draw; false: never; undefined: draw on a TTY outside CI. */
  force?: boolean;
  /** The environment (CI), as the caller read it. */
  env: Record<string, string | undefined>;
  minIntervalMs?: number;
  now?: () => number;
}

export function progressEnabled(o: Pick<ProgressOptions, 'stream' | 'force' | 'env'>): boolean {
  if (o.force !== undefined) return o.force;
  return o.stream.isTTY === true && o.env.CI !== 'true' && o.env.CI !== '1';
}

export function formatProgress(p: Parameters<ProgressReporter['update']>[0]): string {
  const objects = p.objectsTotal !== undefined ? `${p.objectsDone}/${p.objectsTotal}` : String(p.objectsDone);
  return `${p.provider}: vaults ${p.vaultsDone}/${p.vaultsTotal}, objects ${objects}, errors ${p.errors}`;
}

export function createProgress(o: ProgressOptions): ProgressReporter {
  const enabled = progressEnabled(o);
  const now = o.now ?? Date.now;
  const minInterval = o.minIntervalMs ?? 200;
  const tty = o.stream.isTTY === true;
  let last = 0;
  let pending: string | null = null;
  let drawn = false;
  const draw = (line: string) => {
    o.stream.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
    drawn = true;
    pending = null;
  };
  return {
    update(p) {
      if (!enabled) return;
      const line = formatProgress(p);
      const t = now();
      const finished = p.vaultsDone === p.vaultsTotal;
      if (t - last >= minInterval || finished) {
        last = t;
        draw(line);
      } else pending = line;
    },
    done() {
      if (!enabled) return;
      if (pending !== null) draw(pending);
      if (drawn && tty) o.stream.write('\n');
    },
  };
}
