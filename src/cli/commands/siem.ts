/** `--siem-sink`: delivers the findings as OCSF/CEF events and reports what was sent or spooled. */
import type { FindingsDocument } from '../../engine/findings.js';
import type { RenderContext } from '../../renderers/types.js';
import { deliverFindings, parseSinkSpec, SinkSpecError } from '../../siem/index.js';
import { InputError } from '../../util/input-error.js';
import type { Console } from '../console.js';

export async function deliverToSiem(doc: FindingsDocument, sink: string, spoolDir: string | undefined, ctx: RenderContext, io: Console): Promise<void> {
  let spec;
  try {
    spec = parseSinkSpec(sink);
  } catch (e) {
    if (e instanceof SinkSpecError) throw new InputError('--siem-sink', '', e.message);
    throw e;
  }
  // The library logs one line per notable step, including the delivery summary.
  const r = await deliverFindings(doc, spec, { ctx, ...(spoolDir ? { spoolDir } : {}), log: (line: string) => io.err(line) });
  if (r.failed > 0) io.err(`siem ${r.sink}: WARNING ${r.failed} event(s) could neither be delivered nor spooled`);
}
