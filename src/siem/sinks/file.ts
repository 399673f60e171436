/** File sink: appends one event per line (OCSF JSON lines or CEF lines) and fsyncs each chunk. */
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FileSink } from '../spec.js';
import type { Sink } from './types.js';

export function openFileSink(spec: FileSink): Sink {
  return {
    confirmed: true,
    async send(chunk) {
      await mkdir(dirname(spec.path), { recursive: true });
      const fh = await open(spec.path, 'a', 0o640);
      try {
        await fh.write(chunk.map((e) => e.body + '\n').join(''));
        await fh.sync();
      } finally {
        await fh.close();
      }
    },
    async close() {},
  };
}
