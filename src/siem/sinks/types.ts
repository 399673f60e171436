/** A sink delivers one chunk of events per call; it throws when the chunk was not (known to be) delivered. */
import type { SiemEvent } from '../events.js';

export interface Sink {
  /**
   * Delivers the chunk or throws. A `TransientError` or a network error is worth retrying; anything
   * else is not (the chunk is spooled for the next run).
   */
  send(chunk: SiemEvent[], signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** A delivery failure that retrying will not fix (bad credentials, rejected data, TLS trust). */
export class PermanentSinkError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'PermanentSinkError';
  }
}
