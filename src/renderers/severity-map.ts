/**
 * One place for how a finding's severity and status map onto the scales of the output formats
 * (SARIF levels and `security-severity`, OCSF `severity_id`, CEF 0-10, syslog severities).
 *
 * A passing finding is reported as informational in the SIEM formats (as AWS Security Hub does for
 * passed controls) so that SIEM alert rules keyed on severity do not fire on evidence of compliance;
 * the rule's own severity stays visible beside it.
 */
import type { Finding, Severity } from '../findings/types.js';

/** GitHub code scanning buckets: > 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low. */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';
export const SARIF_LEVEL: Record<Severity, SarifLevel> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical. */
export const OCSF_SEVERITY_ID: Record<Severity, number> = { info: 1, low: 2, medium: 3, high: 4, critical: 5 };
export const OCSF_SEVERITY_NAME: Record<number, string> = { 1: 'Informational', 2: 'Low', 3: 'Medium', 4: 'High', 5: 'Critical' };

/** CEF severity 0-10. */
export const CEF_SEVERITY: Record<Severity, number> = { info: 1, low: 3, medium: 5, high: 8, critical: 10 };

/** RFC 5424 severities: 2 crit, 3 err, 4 warning, 5 notice, 6 info. */
export const SYSLOG_SEVERITY: Record<Severity, number> = { critical: 2, high: 3, medium: 4, low: 5, info: 6 };

/** The severity a SIEM event carries for a finding: informational for passes, the rule's otherwise. */
export function eventSeverity(f: Pick<Finding, 'severity' | 'status'>): Severity {
  return f.status === 'pass' ? 'info' : f.severity;
}
