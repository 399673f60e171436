import type { Console } from '../../src/cli/console.js';

export interface CapturedConsole extends Console {
  stdout: string;
  stderr: string;
}

export function fakeConsole(): CapturedConsole {
  const c: CapturedConsole = {
    stdout: '',
    stderr: '',
    stdoutIsTTY: false,
    write: (t) => void (c.stdout += t),
    out: (l) => void (c.stdout += l + '\n'),
    err: (l) => void (c.stderr += l + '\n'),
  };
  return c;
}
