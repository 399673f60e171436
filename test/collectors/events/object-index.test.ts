import { readFileSync } from 'node:fs';
import { globRegExp } from '../../../src/util/glob.js';
import { onBreakGlassPath } from '../../../src/collectors/events/object-index.js';

const defaults = (JSON.parse(readFileSync('policies/data/defaults.json', 'utf8')) as { thresholds: { break_glass_paths: string[] } }).thresholds.break_glass_paths.map((p) => globRegExp(p));

describe('break-glass objects of the events collector (issue 15)', () => {
  // Regression: objects in an `EmergencyAccess/` folder were not break-glass, so their reads in the
  // audit log became no break-glass use and VP-ACC-005 reported "no use in the window".
  it('counts objects inside a break-glass folder, as VP-ACC-005 judges them', () => {
    expect(onBreakGlassPath('project/EmergencyAccess/db-password', defaults)).toBe(true);
    expect(onBreakGlassPath('secret/project/cab/EmergencyAccess/vault/unseal', defaults)).toBe(true);
    expect(onBreakGlassPath('EmergencyAccess/root-token', defaults)).toBe(true);
    expect(onBreakGlassPath('project/cab/EmergencyAccess', defaults)).toBe(true);
    expect(onBreakGlassPath('project/cab/break-glass/root', defaults)).toBe(true);
    expect(onBreakGlassPath('project/cab/db-password', defaults)).toBe(false);
    expect(onBreakGlassPath('project/cab/NotEmergencyAccess/x', defaults)).toBe(false);
  });
});
