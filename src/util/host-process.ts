/**
 * This process's identity, for lock files, temp-file names and the syslog PROCID: the one place
 * outside src/cli that reads the `process` global (ARCHITECTURE.md: environment, exit, signals and
 * stdio belong to the CLI; a pid is none of those).
 */
/** The pid of this process. */
export function ownPid(): number {
  return process.pid;
}

/** True when a process with this pid exists (signal 0 checks without signalling; EPERM means it exists). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
