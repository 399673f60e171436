/**
 * The standard a scan was judged by, as the pack's first page and summary.md show it: the config
 * file's sha256, every approved deviation (looser than the standard: threshold, the standard's value,
 * the value used, reason, approvers) and the effective thresholds. Pure; every value a string.
 */
import type { FindingsDocument } from '../findings/types.js';

export interface DeviationRow {
  threshold: string;
  standard: string;
  value: string;
  reason: string;
  approvers: string;
  ticket: string;
  expires: string;
}

export interface StandardView {
  /** The findings document records the thresholds (documents of older versions do not). */
  recorded: boolean;
  hasConfig: boolean;
  configSha256: string;
  deviations: DeviationRow[];
  hasDeviations: boolean;
  thresholds: Array<{ name: string; value: string }>;
  /** One sentence for the verdict: which standard, loosened or not. */
  sentence: string;
}

/** A threshold value in one line: numbers and strings plain, lists and objects as compact JSON, null as "none". */
export function thresholdText(v: unknown): string {
  if (v === null || v === undefined) return 'none';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function standardView(scan: FindingsDocument['scan']): StandardView {
  const deviations = (scan.deviations ?? []).map((d) => ({
    threshold: d.threshold,
    standard: thresholdText(d.standard),
    value: thresholdText(d.value),
    reason: d.reason,
    approvers: d.approved_by.join(', '),
    ticket: d.ticket ?? '—',
    expires: d.expires ?? '—',
  }));
  const recorded = scan.thresholds !== undefined;
  const config = scan.config_sha256 !== undefined ? 'a config file' : 'no config file';
  const sentence = !recorded
    ? 'The findings document does not record the thresholds it was judged by (written by an earlier vaultproof).'
    : deviations.length === 0
      ? `Judged by the standard's thresholds or stricter ones (${config}; no deviation from the standard).`
      : `Judged with ${deviations.length} approved deviation(s) from the standard, looser than it: ${deviations.map((d) => d.threshold).join(', ')}.`;
  return {
    recorded,
    hasConfig: scan.config_sha256 !== undefined,
    configSha256: scan.config_sha256 ?? '',
    deviations,
    hasDeviations: deviations.length > 0,
    thresholds: Object.entries(scan.thresholds ?? {}).map(([name, value]) => ({ name, value: thresholdText(value) })),
    sentence,
  };
}
