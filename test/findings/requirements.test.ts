/**
 * The requirement catalog loader: the shipped file loads, and a malformed one is one error naming the
 * file, the path inside it and what was expected.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultRequirementsFile, loadRequirementCatalog, parseRequirementCatalog, REQUIREMENT_ID } from '../../src/findings/requirements.js';
import { InputError } from '../../src/util/input-error.js';

const GOOD = `standard: secrets-management
version: "1.0"
requirements:
  - id: SM-1.1-a
    section: "§1.1 Primary vault"
    text: "Primary vault"
    disposition: automated
  - id: SM-9-a
    section: "§9"
    text: "training"
    disposition: out-of-scope
    reason: "people, not vaults"
`;

function problem(text: string): string {
  try {
    parseRequirementCatalog(text, 'requirements.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('the requirement catalog', () => {
  it('shipped with vaultproof loads: unique ids, every entry with a disposition', () => {
    const cat = loadRequirementCatalog();
    expect(cat.standard).toBe('secrets-management');
    expect(cat.requirements.length).toBeGreaterThanOrEqual(72);
    expect(new Set(cat.requirements.map((r) => r.id)).size).toBe(cat.requirements.length);
    for (const r of cat.requirements) {
      expect(r.id).toMatch(new RegExp(REQUIREMENT_ID));
      expect(['automated', 'evidenced', 'out-of-scope']).toContain(r.disposition);
    }
    expect(defaultRequirementsFile()).toMatch(/policies[/\\]standard[/\\]requirements\.yaml$/);
  });

  it('parses a good file', () => {
    expect(parseRequirementCatalog(GOOD, 'requirements.yaml').requirements.map((r) => r.id)).toEqual(['SM-1.1-a', 'SM-9-a']);
  });

  it.each([
    ['a missing disposition', GOOD.replace('    disposition: automated\n', ''), 'requirements.yaml: $.requirements[0].disposition: is required but missing'],
    ['an unknown disposition', GOOD.replace('disposition: automated', 'disposition: maybe'), 'requirements.yaml: $.requirements[0].disposition:'],
    ['an out-of-scope entry without its reason', GOOD.replace('    reason: "people, not vaults"\n', ''), 'requirements.yaml: $.requirements[1].reason: is required but missing'],
    ['a malformed id', GOOD.replace('id: SM-9-a', 'id: SM9a'), 'requirements.yaml: $.requirements[1].id:'],
    ['a duplicate id', GOOD.replace('id: SM-9-a', 'id: SM-1.1-a'), 'requirements.yaml: $.requirements[1].id: expected a unique id, found "SM-1.1-a" again (first at $.requirements[0])'],
    ['an unknown member', GOOD.replace('    text: "training"\n', '    text: "training"\n    rules: [VP-X-001]\n'), 'requirements.yaml: $.requirements[1]'],
    ['broken YAML', 'requirements: [\n', 'requirements.yaml: invalid YAML at line'],
  ])('refuses %s, naming the file and the path', (_, text, message) => {
    expect(problem(text)).toContain(message);
  });

  it('names a file that cannot be read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vp-req-'));
    try {
      const file = join(dir, 'requirements.yaml');
      expect(() => loadRequirementCatalog(file)).toThrow(InputError);
      writeFileSync(file, GOOD.replace('standard: secrets-management\n', ''));
      expect(() => loadRequirementCatalog(file)).toThrow(`${file}: $.standard: is required but missing`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
