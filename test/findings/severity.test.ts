import { atOrAbove, SEVERITIES, SEVERITY_RANK, type Severity } from '../../src/findings/severity.js';
import { atOrAbove as gateAtOrAbove } from '../../src/findings/gate.js';
import { SEVERITIES as TYPES_SEVERITIES } from '../../src/findings/types.js';

describe('the one severity order', () => {
  it('is critical, high, medium, low, info; the rank follows it', () => {
    expect(SEVERITIES).toEqual(['critical', 'high', 'medium', 'low', 'info']);
    expect(SEVERITIES.map((s) => SEVERITY_RANK[s])).toEqual([0, 1, 2, 3, 4]);
    expect(TYPES_SEVERITIES).toBe(SEVERITIES);
    expect(gateAtOrAbove).toBe(atOrAbove);
  });

  it.each(SEVERITIES.flatMap((s) => SEVERITIES.map((t) => [s, t] as [Severity, Severity])))('%s at or above %s', (s, t) => {
    expect(atOrAbove(s, t)).toBe(SEVERITIES.indexOf(s) <= SEVERITIES.indexOf(t));
  });

  it('sorts most severe first', () => {
    const mixed: Severity[] = ['low', 'info', 'critical', 'medium', 'high', 'critical'];
    expect([...mixed].sort((a, b) => SEVERITY_RANK[a] - SEVERITY_RANK[b])).toEqual(['critical', 'critical', 'high', 'medium', 'low', 'info']);
  });
});
