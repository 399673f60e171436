/**
 * The one severity order: critical, high, medium, low, info (most severe first). Everything that
 * sorts, groups, counts or gates by severity reads it from here.
 */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** Most severe first. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Position in the order: 0 for critical, 4 for info (sorts most severe first). */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = Object.freeze(Object.fromEntries(SEVERITIES.map((s, i) => [s, i])) as Record<Severity, number>);

/** The severity is at least as severe as the threshold (`--fail-on`). */
export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] <= SEVERITY_RANK[threshold];
}
