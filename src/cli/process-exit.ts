/**
 * The process's way out: registered cleanups (src/util/exit-cleanup.ts) run on `exit`, and SIGINT and
 * SIGTERM end the run with 128 + the signal number through `process.exit`, so they run then too
 * (signals end a Node process without `exit` listeners otherwise). Installed once by bin/vaultproof.js.
 */
import { runExitCleanups } from '../util/exit-cleanup.js';

let installed = false;

export function installExitHandling(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runExitCleanups);
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
}
