/**
 * Files a run must not leave behind when it is interrupted: the findings spill (as large as the
 * findings document: gigabytes for a large fleet) and the temp file of an atomic write. Each is
 * registered while it exists; `runExitCleanups` removes what is still registered. The CLI (the only
 * layer that touches `process`, see ARCHITECTURE.md) calls it from its `exit` listener and turns
 * SIGINT and SIGTERM into an exit (src/cli/process-exit.ts).
 */
const pending = new Set<() => void>();

/** Runs `cleanup` (synchronous) at exit if it is still registered then; call the result to unregister. */
export function onExitCleanup(cleanup: () => void): () => void {
  pending.add(cleanup);
  return () => pending.delete(cleanup);
}

/** Runs every registered cleanup once (best effort: one failing does not stop the next) and forgets them. */
export function runExitCleanups(): void {
  for (const fn of [...pending]) {
    try {
      fn();
    } catch {
      // Best effort on the way out: the next cleanup still runs.
    }
  }
  pending.clear();
}
