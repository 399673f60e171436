/**
 * `--siem-sink`: delivers the findings as OCSF/CEF events and reports what was sent or spooled.
 *
 * Exit status: events that could be neither delivered nor kept in the spool (spool full or
 * unwritable) are lost, and a run that lost events is never green: it exits 3 (as an incomplete
 * scan: the evidence trail is incomplete), or keeps 2; precedence 2 > 3 > 1 (DESIGN §4).
 * `--allow-incomplete` does not waive it. Events kept in the spool are not lost (the next run
 * delivers them first); events an unconfirmed sink (plain syslog, `unconfirmed=1`) wrote are
 * reported "sent, unconfirmed" and do not change the exit status (the user asked for that sink).
 */
import { EXIT } from '../../findings/gate.js';
import type { FindingsStream } from '../../findings/stream.js';
import type { FindingsDocument } from '../../findings/types.js';
import type { RenderContext } from '../../renderers/types.js';
import { deliverFindings, parseSinkSpec, SinkSpecError, type DeliveryReport, type SinkSpec } from '../../siem/index.js';
import { InputError } from '../../util/input-error.js';
import type { Console } from '../console.js';

/** Parses a `--siem-sink` spec; a bad one is an input error (exit 2). */
export function sinkSpecOf(sink: string): SinkSpec {
  try {
    return parseSinkSpec(sink);
  } catch (e) {
    if (e instanceof SinkSpecError) throw new InputError('--siem-sink', '', e.message);
    throw e;
  }
}

export async function deliverToSiem(findings: FindingsDocument | FindingsStream, sink: string, spoolDir: string | undefined, ctx: RenderContext, io: Console): Promise<DeliveryReport> {
  const spec = sinkSpecOf(sink);
  // The library logs one line per notable step, including the delivery summary.
  const r = await deliverFindings(findings, spec, { ctx, env: process.env, ...(spoolDir ? { spoolDir } : {}), log: (line: string) => io.err(line) });
  if (r.failed > 0) io.err(`siem ${r.sink}: ERROR ${r.failed} event(s) could neither be delivered nor spooled: lost`);
  return r;
}

/** Events lost by the deliveries (neither delivered nor spooled). */
export function lostEvents(reports: DeliveryReport[]): number {
  return reports.reduce((n, r) => n + r.failed, 0);
}

/** The run's exit code once SIEM delivery is known: lost events make it at least 3 (2 stays 2). */
export function exitCodeWithSiem(gateExitCode: number, reports: DeliveryReport[]): number {
  if (lostEvents(reports) === 0 || gateExitCode === EXIT.usage) return gateExitCode;
  return EXIT.incomplete;
}

/** The verdict line when lost events changed the exit code. */
export function siemVerdictLine(reports: DeliveryReport[], exitCode: number): string {
  const lost = reports.filter((r) => r.failed > 0).map((r) => `${r.failed} to ${r.sink}`);
  return `FAIL: SIEM delivery lost ${lostEvents(reports)} event(s) (${lost.join(', ')}): neither delivered nor kept in the spool (exit ${exitCode})`;
}
