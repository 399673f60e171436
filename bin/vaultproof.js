#!/usr/bin/env node
// Entry point of the `vaultproof` command: runs the compiled CLI (npm run build).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('vaultproof: error: the CLI is not built (run `npm run setup` or `npm run build`)\n');
  process.exit(2);
}
// A closed pipe (`vaultproof ... | head`) ends the output quietly instead of with a stack trace.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
// Ctrl-C or a CI timeout (SIGTERM) ends the run through process.exit, so temp files are removed.
const { installExitHandling } = await import(pathToFileURL(join(root, 'dist', 'cli', 'process-exit.js')).href);
installExitHandling();
const { run } = await import(pathToFileURL(entry).href);
process.exitCode = await run(process.argv.slice(2));
