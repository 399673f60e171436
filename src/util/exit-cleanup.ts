/**
 * Files a run must not leave behind when it is interrupted: the findings spill (as large as the
 * findings document: gigabytes for a large fleet) and the temp file of an atomic write. Each is
 * registered while it exists; one `exit` listener removes what is still registered. Signals end a
 * Node process without `exit` listeners, so the CLI entry (bin/vaultproof.js) turns SIGINT and
 * SIGTERM into `process.exit` (see `exitOnSignals`).
 */
const pending = new Set<() => void>();
let listening = false;

/** Runs `cleanup` (synchronous) if the process exits while it is registered; call the result to unregister. */
export function onExitCleanup(cleanup: () => void): () => void {
  if (!listening) {
    listening = true;
    process.on('exit', () => {
      for (const fn of [...pending]) {
        try {
          fn();
        } catch {
          // Best effort on the way out: the next cleanup still runs.
        }
      }
      pending.clear();
    });
  }
  pending.add(cleanup);
  return () => pending.delete(cleanup);
}

/** SIGINT and SIGTERM exit with 128 + the signal number after the registered cleanups ran. */
export function exitOnSignals(): void {
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
}
