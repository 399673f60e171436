/**
 * `evaluate` and `scan`: snapshot → engine → findings document → renderer → gate. Returns the exit
 * code; the CLI entry prints and exits.
 */
import { loadConfig, policyOverrides, type VaultproofConfig } from '../../config/load.js';
import { applyPrincipalRules } from '../../config/principals.js';
import { checkStandard } from '../../config/deviations.js';
import { loadBundle } from '../../engine/bundle.js';
import { Engine } from '../../engine/evaluate.js';
import { loadFindingsDocument } from '../../findings/baseline.js';
import type { GateOptions, GateVerdict } from '../../findings/gate.js';
import { catchAllInForce, loadWaivers, toWaiver } from '../../engine/waivers.js';
import { writePack, type PackFlags } from './evidence.js';
import { readVerifiedPack } from '../../evidence/verified-pack.js';
import { reviewPackFilesOf, scanReview, type ReviewedSnapshot, type ScanReview } from '../../review/index.js';
import type { ReviewPolicyData } from '../../engine/bundle.js';
import { deliverToSiem, exitCodeWithSiem, siemVerdictLine } from './siem.js';
import { InputError } from '../../util/input-error.js';
import { CorrelationIdError, resolveCorrelationId } from '../../ci/run-id.js';
import { filteredStream, type FindingsStream } from '../../findings/stream.js';
import { renderStream } from '../../renderers/stream.js';
import { RENDERERS, STREAMING_RENDERERS } from '../formats.js';
import { sarifLocations } from '../../renderers/sarif-locations.js';
import type { RenderContext } from '../../renderers/types.js';
import type { Snapshot } from '../../snapshot/types.js';
import { snapshotFileOf, withHead, type SnapshotFile } from '../../snapshot/snapshot-file.js';
import type { PolicyBundle } from '../../engine/bundle.js';
import type { Waiver } from '../../findings/types.js';
import { StringDecoder } from 'node:string_decoder';
import { TOOL_VERSION } from '../../version.js';
import { writeFileAtomic } from '../io.js';
import type { OutputOptions } from '../options.js';
import type { Console } from '../console.js';

/** The scan's evidence trail handed to the pack: the request ledger (JSON lines) of the collection, when there is one. */
export interface EvidenceTrail {
  ledger?: string;
}

export async function evaluateAndReport(given: Snapshot, opts: OutputOptions, io: Console, config?: VaultproofConfig, pack?: PackFlags, trail: EvidenceTrail = {}): Promise<number> {
  const cfg = config ?? (opts.config ? loadConfig(opts.config) : undefined);
  // Organisational facts from the config fill what the collectors could not record (idempotent).
  const review = await reviewOf(applyPrincipalRules(given, cfg?.principals), Object.keys(given.vaults), cfg, opts);
  const snapshot = review.inputs.snapshot;
  const { bundle, engine, waivers } = await prepareEngine(cfg, opts, snapshot.now, review.inputs.policy);
  if (!opts.baseline && opts.failOnNew) throw new InputError('--fail-on-new', '', 'needs --baseline FILE (the previous findings document)');
  const baseline = opts.baseline ? loadFindingsDocument(opts.baseline) : undefined;
  // Every finding goes to the sink (the pack and the SIEM sinks take them all); the outputs show a filtered view.
  const evaluation = await engine.evaluateSnapshot(snapshot, { toolVersion: TOOL_VERSION, correlationId: correlationId(opts.correlationId, snapshot.scan_id), waivers, ...(baseline ? { baseline } : {}) });
  try {
    const all = evaluation.stream();
    const verdict = evaluation.gate(gateOptions(opts), catchAllInForce(waivers, snapshot.now));
    const rules = Object.fromEntries(bundle.catalog.rules.map((r) => [r.id, r]));
    const exitCode = renderReport(shownStream(all, opts), verdict, opts, io, rules, { snapshot, waivers: waivers.map(toWaiver), catalog: bundle.catalog, sarif: sarifLocations(cfg, { cwd: process.cwd(), env: process.env }) });
    if (pack?.evidencePack) await packOf(all, snapshot, review, bundle, waivers.map(toWaiver), pack, io, trail);
    return await deliverAll(all, opts, io, rules, exitCode);
  } finally {
    evaluation.close();
  }
}

/**
 * The evidence pack of the evaluation: every finding (read from the sink's stream as often as the
 * pages need), the snapshot judged (read vault by vault) and this snapshot's access review (matrix,
 * findings, diff, decisions template).
 */
async function packOf(all: FindingsStream, snapshot: Snapshot | SnapshotFile, review: ScanReview<ReviewedSnapshot>, bundle: PolicyBundle, waivers: Waiver[], pack: PackFlags, io: Console, trail: EvidenceTrail): Promise<void> {
  const source = 'readVault' in snapshot ? snapshot : snapshotFileOf(snapshot, 'snapshot');
  const extraFiles = reviewPackFilesOf(review, all, source, TOOL_VERSION, bundle.catalog.rules.map((r) => r.id));
  await writePack(all, snapshot, bundle, waivers, pack, io, { ...(trail.ledger !== undefined ? { ledger: trail.ledger } : {}), extraFiles });
}

/** Every finding (not only those shown) to each `--siem-sink`; the run's exit code once delivery is known. */
async function deliverAll(findings: FindingsStream, opts: OutputOptions, io: Console, rules: RenderContext['rules'], exitCode: number): Promise<number> {
  const deliveries = [];
  for (const sink of opts.siemSinks ?? []) deliveries.push(await deliverToSiem(findings, sink, opts.spoolDir, { toolVersion: TOOL_VERSION, rules }, io));
  // SIEM events lost past the spool's bound fail the run (exit 3; 2 > 3 > 1), said where the verdict is.
  const finalCode = exitCodeWithSiem(exitCode, deliveries);
  if (finalCode !== exitCode) {
    const line = siemVerdictLine(deliveries, finalCode);
    if (opts.out || opts.format === 'table') io.out(line);
    else io.err(line);
  }
  return finalCode;
}

/**
 * `evaluate FILE`: the snapshot read vault by vault, the findings rendered where they are evaluated
 * and spilled to disk (engine/evaluate-file.ts), then every output rendered from the spilled stream.
 * The outputs and the verdict are exactly those of `evaluateAndReport`.
 */
export async function evaluateFileAndReport(source: SnapshotFile, opts: OutputOptions, io: Console, pack?: PackFlags, trail: EvidenceTrail = {}): Promise<number> {
  const cfg = opts.config ? loadConfig(opts.config) : undefined;
  const withPrincipals = applyPrincipalRules({ ...source.head, vaults: {} }, cfg?.principals);
  const review = await reviewOf({ ...source.head, principals: withPrincipals.principals }, source.vaultIds, cfg, opts);
  const head = review.inputs.snapshot;
  const { bundle, engine, waivers } = await prepareEngine(cfg, opts, head.now, review.inputs.policy);
  if (!opts.baseline && opts.failOnNew) throw new InputError('--fail-on-new', '', 'needs --baseline FILE (the previous findings document)');
  const baseline = opts.baseline ? loadFindingsDocument(opts.baseline) : undefined;
  // The SIEM sinks and the pack take every finding; without them, --only-failures leaves the passes out of the spill.
  const spillFailuresOnly = Boolean(opts.onlyFailures) && (opts.siemSinks ?? []).length === 0 && !pack?.evidencePack;
  const evaluation = await engine.evaluateFile(
    withHead(source, head),
    { toolVersion: TOOL_VERSION, correlationId: correlationId(opts.correlationId, head.scan_id), waivers, ...(baseline ? { baseline } : {}), onlyFailures: spillFailuresOnly },
  );
  try {
    const all = evaluation.stream();
    const verdict = evaluation.gate(gateOptions(opts), catchAllInForce(waivers, head.now));
    const rules = Object.fromEntries(bundle.catalog.rules.map((r) => [r.id, r]));
    const shown = shownStream(all, { onlyFailures: opts.onlyFailures && !spillFailuresOnly, severities: opts.severities });
    const judged = withHead(source, head);
    const exitCode = renderReport(shown, verdict, opts, io, rules, { snapshot: judged, waivers: waivers.map(toWaiver), catalog: bundle.catalog, sarif: sarifLocations(cfg, { cwd: process.cwd(), env: process.env }) });
    if (pack?.evidencePack) await packOf(all, judged, review, bundle, waivers.map(toWaiver), pack, io, trail);
    return await deliverAll(all, opts, io, rules, exitCode);
  } finally {
    evaluation.close();
  }
}

/** The gate's options from the command line's. */
export function gateOptions(opts: OutputOptions): GateOptions {
  return { failOn: opts.failOn, allowIncomplete: opts.allowIncomplete, allowErrors: opts.allowErrors ?? false, failOnNew: opts.failOnNew };
}

export function correlationId(explicit: string | undefined, scanId: string): string {
  try {
    return resolveCorrelationId(explicit, process.env, scanId);
  } catch (e) {
    if (e instanceof CorrelationIdError) throw new InputError('--correlation-id', '', e.message.replace(/^--correlation-id: /, ''));
    throw e;
  }
}

/** What the HTML report needs besides the findings: the snapshot it judged, the waivers and the catalog. */
export type ReportExtras = Pick<RenderContext, 'snapshot' | 'waivers' | 'catalog' | 'sarif'>;

/**
 * The findings shown: `--only-failures` drops passes, `--severity` keeps the listed severities. The
 * summary and the gate still count every finding (the gate never judges a filtered view).
 */
export function shownStream(stream: FindingsStream, opts: Pick<OutputOptions, 'onlyFailures' | 'severities'>): FindingsStream {
  const severities = opts.severities ? new Set<string>(opts.severities) : undefined;
  if (!opts.onlyFailures && !severities) return stream;
  return filteredStream(stream, (f) => (!opts.onlyFailures || f.status !== 'pass') && (!severities || severities.has(f.severity)));
}

/** The shown findings in every requested format (further outputs first: the verdict line stays the run's last). */
function renderReport(shown: FindingsStream, verdict: GateVerdict, opts: OutputOptions, io: Console, rules: RenderContext['rules'], extras: ReportExtras): number {
  const ctx = (format: string, toFile: boolean): RenderContext => ({ toolVersion: TOOL_VERSION, rules, color: !toFile && io.stdoutIsTTY && !process.env.NO_COLOR, columns: io.columns, ...(format === 'html' ? extras : {}), ...(format === 'sarif' && extras.sarif ? { sarif: extras.sarif } : {}) });
  for (const extra of opts.outputs ?? []) writeFileAtomic(extra.file, renderStream(extra.format, shown, ctx(extra.format, true), RENDERERS, STREAMING_RENDERERS));
  const main = renderStream(opts.format, shown, ctx(opts.format, Boolean(opts.out)), RENDERERS, STREAMING_RENDERERS);
  // The table says what the filter hid; machine formats keep their shape (the summary counts everything).
  const note = opts.severities && opts.format === 'table' ? [`--severity ${opts.severities.join(',')}: ${shown.count} of ${shown.head.summary.evaluated} findings shown; the verdict judges all of them\n`] : [];
  emit(concat(main, note), verdict.line, opts, io);
  return verdict.exitCode;
}

function* concat<T>(...parts: Iterable<T>[]): Generator<T> {
  for (const p of parts) yield* p;
}

/**
 * The rendered output to --out (atomically, the verdict on stdout) or to stdout (the verdict after
 * the table, or on stderr so a machine format stays parseable). Bytes are decoded as UTF-8 across
 * piece boundaries.
 */
function emit(pieces: Iterable<string | Uint8Array>, verdictLine: string, opts: OutputOptions, io: Console): void {
  if (opts.out) {
    writeFileAtomic(opts.out, pieces);
    io.out(verdictLine);
    return;
  }
  const text = new StringDecoder('utf8');
  for (const p of pieces) io.write(typeof p === 'string' ? p : text.write(Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
  const rest = text.end();
  if (rest) io.write(rest);
  if (opts.format === 'table') io.out(verdictLine);
  else io.err(verdictLine);
}

/**
 * The findings the engine gives `given` with this config and waiver file (what `evaluate` would
 * write), for checking a findings document handed in from elsewhere (`render evidence-pack`).
 */
export async function deriveFindings(given: Snapshot, opts: Pick<OutputOptions, 'config' | 'waivers'>, correlation: string) {
  const cfg = opts.config ? loadConfig(opts.config) : undefined;
  const review = await reviewOf(applyPrincipalRules(given, cfg?.principals), Object.keys(given.vaults), cfg, opts);
  const snapshot = review.inputs.snapshot;
  const { bundle, engine, waivers } = await prepareEngine(cfg, opts, snapshot.now, review.inputs.policy);
  const doc = await engine.evaluateAsync(snapshot, { toolVersion: TOOL_VERSION, correlationId: correlation, waivers });
  return { doc, bundle, waivers, cfg, snapshot, review };
}

/** The bundle, the engine with the config's threshold overrides (checked against the bundle) and the waivers. */
/** The config's `review:` block read before the evaluation: the access review's rules judge its roster and attested decisions (src/review/index.ts). */
function reviewOf<S extends ReviewedSnapshot>(snapshot: S, vaultIds: Iterable<string>, cfg: VaultproofConfig | undefined, opts: Pick<OutputOptions, 'config'>): Promise<ScanReview<S>> {
  return scanReview({ snapshot, vaultIds, reviewBlock: cfg?.review, ...(opts.config ? { configFile: opts.config } : {}), readPack: readVerifiedPack });
}

async function prepareEngine(cfg: VaultproofConfig | undefined, opts: Pick<OutputOptions, 'config' | 'waivers'>, now: number, review: ReviewPolicyData) {
  const bundle = loadBundle();
  // Thresholds looser than the standard need an approved deviation; stale deviations are refused.
  if (cfg && opts.config) checkStandard(cfg, { file: opts.config, standard: bundle.defaults.thresholds, now });
  const engine = await Engine.create(bundle, { ...policyOverrides(cfg), review });
  const waiverFile = opts.waivers ?? cfg?.waivers;
  const waivers = waiverFile ? loadWaivers(waiverFile, now, bundle.rulesById) : [];
  return { bundle, engine, waivers };
}
