/**
 * OCSF (schema 1.3.0) JSON lines, the default SIEM format.
 *
 * A batch is: one Scan Activity (class 6007) "Started" event, one Compliance Finding (class 2003)
 * per finding, one Scan Activity "Completed" event. The summary events carry the batch id and its
 * number of finding events, so a SIEM can tell a complete delivery from a partial one: a batch is
 * complete when both summary events and `unmapped.vaultproof.batch.findings` finding events with that
 * batch id have arrived.
 */
import type { RuleMeta } from '../findings/catalog.js';
import type { Finding, FindingsDocument } from '../findings/types.js';
import { streamOf, type FindingsStream } from '../findings/stream.js';
import { batchEvents, eventUid, type BatchIdentity } from './batch.js';
import { eventSeverity, OCSF_SEVERITY_ID, OCSF_SEVERITY_NAME } from './severity-map.js';
import type { RenderContext } from './types.js';

export const OCSF_VERSION = '1.3.0';
export const COMPLIANCE_FINDING_CLASS = 2003;
export const SCAN_ACTIVITY_CLASS = 6007;

export type OcsfEvent = Record<string, unknown> & {
  class_uid: number;
  metadata: { uid: string; correlation_uid: string } & Record<string, unknown>;
};

const COMPLIANCE_STATUS: Record<Finding['status'], { id: number; name: string }> = {
  pass: { id: 1, name: 'Pass' },
  // OCSF: "Warning: the compliance check did not yield a result due to missing information".
  error: { id: 2, name: 'Warning' },
  fail: { id: 3, name: 'Fail' },
  // Still non-compliant; the finding's own status (Suppressed) carries the waiver.
  waived: { id: 3, name: 'Fail' },
};

/** Finding lifecycle status (finding.status_id): 1 New, 3 Suppressed, 4 Resolved. */
const FINDING_STATUS: Record<Finding['status'], { id: number; name: string }> = {
  fail: { id: 1, name: 'New' },
  error: { id: 1, name: 'New' },
  waived: { id: 3, name: 'Suppressed' },
  pass: { id: 4, name: 'Resolved' },
};

export function renderOcsf(doc: FindingsDocument, ctx: RenderContext): string {
  return [...ocsfLines(streamOf(doc), ctx)].join('');
}

export function buildOcsfEvents(doc: FindingsDocument, ctx: RenderContext): OcsfEvent[] {
  return [...ocsfEvents(streamOf(doc), ctx)];
}

/** The batch's events, one at a time, from a findings stream. */
export function ocsfEvents(stream: FindingsStream, ctx: RenderContext): Generator<OcsfEvent> {
  return batchEvents(stream, {
    summary: (doc, batch, position) => scanEvent(doc, ctx, batch, position),
    finding: (doc, batch, f, seq) => findingEvent(doc, ctx, batch, f, seq),
  });
}

/** OCSF JSON lines from a findings stream, one line per event. */
export function* ocsfLines(stream: FindingsStream, ctx: RenderContext): Generator<string> {
  for (const e of ocsfEvents(stream, ctx)) yield JSON.stringify(e) + '\n';
}

function metadata(doc: FindingsDocument, ctx: RenderContext, uid: string): OcsfEvent['metadata'] {
  return {
    version: OCSF_VERSION,
    uid,
    correlation_uid: doc.scan.correlation_id,
    product: { name: 'vaultproof', vendor_name: 'vaultproof', version: ctx.toolVersion },
    log_name: 'vaultproof-findings',
  };
}

function timeMs(doc: FindingsDocument): number {
  const t = Date.parse(doc.scan.now);
  return Number.isNaN(t) ? 0 : t;
}

function findingEvent(doc: FindingsDocument, ctx: RenderContext, batch: BatchIdentity, f: Finding, seq: number): OcsfEvent {
  const meta: RuleMeta | undefined = ctx.rules[f.rule_id];
  const severityId = OCSF_SEVERITY_ID[eventSeverity(f)];
  const compliance = COMPLIANCE_STATUS[f.status];
  const status = FINDING_STATUS[f.status];
  const activityId = 1;
  return {
    activity_id: activityId,
    activity_name: 'Create',
    category_uid: 2,
    category_name: 'Findings',
    class_uid: COMPLIANCE_FINDING_CLASS,
    class_name: 'Compliance Finding',
    type_uid: COMPLIANCE_FINDING_CLASS * 100 + activityId,
    type_name: 'Compliance Finding: Create',
    time: timeMs(doc),
    severity_id: severityId,
    severity: OCSF_SEVERITY_NAME[severityId],
    status_id: status.id,
    status: status.name,
    message: f.message,
    metadata: metadata(doc, ctx, eventUid(batch.uid, f.fingerprint)),
    finding_info: {
      uid: f.fingerprint,
      title: f.title,
      desc: meta?.description ?? f.title,
      types: [meta?.family ?? 'compliance'],
      analytic: { uid: f.rule_id, name: f.title, type_id: 1, type: 'Rule' },
      created_time: timeMs(doc),
      ...(meta?.references.length ? { src_url: meta.references[0] } : {}),
    },
    compliance: {
      standards: [standardOf(f.control)],
      control: f.control,
      // The standard's requirement ids the rule judges (policies/standard/requirements.yaml); the
      // rule id is finding_info.analytic.uid. A rule naming none keeps its rule id here.
      requirements: requirementIds(f, meta),
      status_id: compliance.id,
      status: compliance.name,
      status_detail: f.message,
    },
    remediation: { desc: f.remediation, ...(meta?.references.length ? { references: meta.references } : {}) },
    resources: [
      {
        uid: f.resource.id,
        name: f.resource.path || f.resource.vault,
        type: f.resource.type,
        group: { name: f.resource.vault },
        labels: [`provider:${f.resource.provider}`],
      },
    ],
    unmapped: {
      vaultproof: {
        batch: { uid: batch.uid, seq, findings: batch.findings },
        scan_id: doc.scan.id,
        rule_id: f.rule_id,
        rule_severity: f.severity,
        result: f.status,
        metric: f.metric,
        ...(f.waiver ? { waiver: f.waiver } : {}),
        ...(f.baseline ? { baseline: f.baseline } : {}),
      },
    },
  };
}

function scanEvent(doc: FindingsDocument, ctx: RenderContext, batch: BatchIdentity, position: 'open' | 'close'): OcsfEvent {
  const activityId = position === 'open' ? 1 : 2;
  const failed = doc.summary.fail;
  const incomplete = doc.scan.scopes.filter((s) => s.status === 'incomplete');
  const severityId = position === 'close' && failed > 0 ? OCSF_SEVERITY_ID.medium : OCSF_SEVERITY_ID.info;
  return {
    activity_id: activityId,
    activity_name: position === 'open' ? 'Started' : 'Completed',
    category_uid: 6,
    category_name: 'Application Activity',
    class_uid: SCAN_ACTIVITY_CLASS,
    class_name: 'Scan Activity',
    type_uid: SCAN_ACTIVITY_CLASS * 100 + activityId,
    type_name: `Scan Activity: ${position === 'open' ? 'Started' : 'Completed'}`,
    time: timeMs(doc),
    severity_id: severityId,
    severity: OCSF_SEVERITY_NAME[severityId],
    // Base event status: Success when every scope was read, Failure when the scan is incomplete.
    status_id: doc.scan.complete ? 1 : 2,
    status: doc.scan.complete ? 'Success' : 'Failure',
    ...(incomplete.length ? { status_detail: incomplete.map((s) => `${s.scope}: ${s.reason ?? 'incomplete'}`).join('; ') } : {}),
    message:
      position === 'open'
        ? `vaultproof batch ${batch.uid} opens: ${batch.findings} finding events follow`
        : `vaultproof batch ${batch.uid} closes: ${batch.findings} finding events (${failed} fail, ${doc.summary.pass} pass, ${doc.summary.waived} waived, ${doc.summary.error} error)`,
    metadata: metadata(doc, ctx, eventUid(batch.uid, position)),
    scan: { uid: doc.scan.id, name: 'vaultproof compliance scan', type_id: 99, type: 'Compliance' },
    num_detections: failed,
    total: doc.summary.evaluated,
    unmapped: {
      vaultproof: {
        batch: { uid: batch.uid, position, findings: batch.findings, total_events: batch.total },
        complete: doc.scan.complete,
        policy_bundle_sha256: doc.scan.policy_bundle_sha256,
        summary: doc.summary,
      },
    },
  };
}

/** The finding's requirement ids (else its catalog entry's); the rule id when neither names one. */
function requirementIds(f: Finding, meta: RuleMeta | undefined): string[] {
  const ids = f.requirements ?? meta?.requirements ?? [];
  return ids.length > 0 ? [...ids] : [f.rule_id];
}

/** "secrets-management §4" -> "secrets-management"; a control without a section is its own standard. */
function standardOf(control: string): string {
  const i = control.indexOf('§');
  return (i > 0 ? control.slice(0, i) : control).trim() || control;
}
