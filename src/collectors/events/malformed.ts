/** Malformed lines of one source: all counted, the first few kept with file, line and reason. */
export interface MalformedLine {
  file: string;
  line: number;
  reason: string;
}

export const MALFORMED_KEPT = 20;

export class MalformedTracker {
  count = 0;
  readonly first: MalformedLine[] = [];

  add(file: string, line: number, reason: string): void {
    this.count++;
    if (this.first.length < MALFORMED_KEPT) this.first.push({ file, line, reason: reason.slice(0, 300) });
  }
}
