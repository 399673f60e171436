/** The CLI's view of the terminal, injectable for tests. */
export interface Console {
  write(text: string): void;
  out(line: string): void;
  err(line: string): void;
  stdoutIsTTY: boolean;
  columns?: number;
}

export const processConsole: Console = {
  write: (t) => process.stdout.write(t),
  out: (l) => process.stdout.write(l + '\n'),
  err: (l) => process.stderr.write(l + '\n'),
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  columns: process.stdout.columns,
};
