/** A sink delivers one chunk of events per call; it throws when the chunk was not (known to be) delivered. */
import type { SiemEvent } from '../events.js';

export interface Sink {
  /**
   * Whether a resolved `send` means the receiver confirmed the events (RELP `rsp 200`, an HTTP 2xx,
   * an fsynced file). Plain syslog over TCP/TLS has no acknowledgement: its sink is unconfirmed, and
   * what it wrote is reported "sent, unconfirmed", never delivered.
   */
  readonly confirmed: boolean;
  /**
   * Delivers the chunk or throws. A `TransientError` or a network error is worth retrying; anything
   * else is not (the chunk is spooled for the next run). A sink that confirms event by event calls
   * `onConfirmed(n)` with the number of leading events of the chunk confirmed so far, so that a
   * failure part-way resends only the rest.
   */
  send(chunk: SiemEvent[], signal?: AbortSignal, onConfirmed?: (n: number) => void): Promise<void>;
  close(): Promise<void>;
}

/** A delivery failure that retrying will not fix (bad credentials, rejected data, TLS trust). */
export class PermanentSinkError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'PermanentSinkError';
  }
}
