import fc from 'fast-check';
import { buildAcl, compilePattern, effectiveCapabilities, patternMatches, patternsOverlap, patternWithin } from '../../../src/snapshot/vault-acl-glob.js';
import { parseAclPolicy } from '../../../src/collectors/hashicorp-vault/policy/hcl-policy.js';
import { computeGrants, type MountKind } from '../../../src/collectors/hashicorp-vault/policy/grants.js';
import type { AclPolicy, Capability } from '../../../src/snapshot/types.js';
import { referenceCapabilities, referenceMatches, type RefPolicy } from '../../support/vault-acl-reference.js';

// Small alphabets make collisions between rules and paths (the interesting cases) frequent.
const SEGS = ['secret', 'data', 'metadata', 'a', 'ab', 'abc', 'b', ''];
const segment = fc.constantFrom(...SEGS);
const patternSeg = fc.oneof({ weight: 4, arbitrary: segment }, { weight: 1, arbitrary: fc.constant('+') });
const pattern = fc
  .tuple(fc.array(patternSeg, { minLength: 1, maxLength: 4 }), fc.boolean())
  .map(([segs, glob]) => segs.join('/') + (glob ? '*' : ''))
  .filter((p) => !p.includes('+*') && p !== '');
const caps = fc.subarray(['create', 'read', 'update', 'patch', 'delete', 'list', 'sudo', 'deny'], { minLength: 1 });
const policy = (name: string) => fc.array(fc.record({ path: pattern, capabilities: caps }), { minLength: 0, maxLength: 6 }).map((rules) => ({ name, rules }));
const policies = fc.tuple(policy('p1'), policy('p2'), policy('p3'));
const requestPath = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join('/'));

describe('Vault ACL glob and precedence (property-tested against a reference model)', () => {
  it('resolves the same capabilities as the reference model for any policies and path', () => {
    fc.assert(
      fc.property(policies, requestPath, fc.constantFrom<'list' | 'other'>('list', 'other'), (pols, path, op) => {
        const acl = buildAcl(pols);
        expect(effectiveCapabilities(acl, path, op)).toEqual(referenceCapabilities(pols, path, op));
      }),
      { numRuns: 3000 },
    );
  });

  // fast-check found it: the reference took whichever of `secret/` and `secret` came first, where
  // Vault takes the exact path first and the slash-less one only for LIST when there is none.
  it('LIST on secret/ takes the exact secret/ rule before the slash-less secret rule, in any policy order', () => {
    const sudo = { name: 'p1', rules: [{ path: 'secret', capabilities: ['sudo'] }] };
    const deny = { name: 'p2', rules: [{ path: 'secret/', capabilities: ['deny'] }] };
    for (const pols of [[sudo, deny], [deny, sudo]]) {
      expect(effectiveCapabilities(buildAcl(pols), 'secret/', 'list')).toEqual([]);
      expect(referenceCapabilities(pols, 'secret/', 'list')).toEqual([]);
      expect(effectiveCapabilities(buildAcl(pols), 'secret', 'list')).toEqual(['sudo']);
    }
  });

  it('matches a single pattern exactly as the reference regex does', () => {
    fc.assert(
      fc.property(pattern, requestPath, (p, path) => {
        expect(patternMatches(compilePattern(p), path)).toBe(referenceMatches(p, path));
      }),
      { numRuns: 3000 },
    );
  });

  it('reports overlap whenever some path matches both patterns (soundness)', () => {
    fc.assert(
      fc.property(pattern, pattern, requestPath, (a, b, path) => {
        if (referenceMatches(a, path) && referenceMatches(b, path)) expect(patternsOverlap(compilePattern(a), compilePattern(b))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  // Used to tell endpoints that only authorise/renew/wrap from access management (issue 15): a
  // containment claim must never be wrong, or a managing rule would be excused.
  it('claims containment only when every path of the first pattern matches the second (soundness)', () => {
    fc.assert(
      fc.property(pattern, pattern, requestPath, (a, b, path) => {
        if (patternWithin(compilePattern(a), compilePattern(b)) && referenceMatches(a, path)) expect(referenceMatches(b, path)).toBe(true);
      }),
      { numRuns: 5000 },
    );
    expect(patternWithin(compilePattern('identity/oidc/provider/+/authorize'), compilePattern('identity/oidc/provider/+/authorize'))).toBe(true);
    expect(patternWithin(compilePattern('sys/wrapping/wrap'), compilePattern('sys/wrapping/*'))).toBe(true);
    expect(patternWithin(compilePattern('identity/oidc/provider/+/*'), compilePattern('identity/oidc/provider/+/authorize'))).toBe(false);
  });

  it('reports overlap only when a witness path exists (completeness, exhaustive small universe)', () => {
    const alphabet = [...SEGS, 'abcx', 'bx', 'secretx', 'datax', 'metadatax'];
    const universe: string[] = [];
    const grow = (prefix: string[], depth: number) => {
      if (prefix.length > 0) universe.push(prefix.join('/'));
      if (depth === 0) return;
      for (const s of alphabet) grow([...prefix, s], depth - 1);
    };
    grow([], 4);
    fc.assert(
      fc.property(pattern, pattern, (a, b) => {
        if (!patternsOverlap(compilePattern(a), compilePattern(b))) return;
        expect(universe.some((p) => referenceMatches(a, p) && referenceMatches(b, p))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

function renderHcl(p: RefPolicy, style: number): string {
  return p.rules
    .map((r, i) => {
      const caps = r.capabilities.map((c) => `"${c}"`).join(style % 2 ? ', ' : ',');
      const comment = i % 2 ? `# rule ${i}\n` : `// rule ${i}\n`;
      return style % 3 === 0 ? `${comment}path "${r.path}" { capabilities = [${caps}] }` : `${comment}path "${r.path}" {\n  capabilities = [\n    ${caps}${style % 2 ? ',' : ''}\n  ]\n}`;
    })
    .join('\n\n');
}

describe('HCL policy parser', () => {
  it('parses rendered HCL back into the rules of the model (merged per path, deny wins)', () => {
    fc.assert(
      fc.property(policy('x'), fc.nat(5), (p, style) => {
        const parsed = parseAclPolicy('x', renderHcl(p, style));
        const model = new Map<string, Set<string>>();
        for (const r of p.rules) {
          const path = r.path.replace(/^\/+/, '');
          const s = model.get(path) ?? new Set<string>();
          r.capabilities.forEach((c) => s.add(c));
          model.set(path, s);
        }
        const expected = [...model.entries()]
          .map(([path, s]) => ({ path, capabilities: s.has('deny') ? ['deny'] : [...s].sort() }))
          .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
        expect(parsed.rules).toEqual(expected);
        // The parsed policy resolves like the model for any path.
        expect(effectiveCapabilities(buildAcl([parsed]), 'secret/data/a')).toEqual(referenceCapabilities([p], 'secret/data/a'));
      }),
      { numRuns: 400 },
    );
  });

  it('expands the legacy `policy =` form, reads JSON policies and rejects bad input with the policy name', () => {
    expect(parseAclPolicy('legacy', 'path "secret/*" {\n  policy = "write"\n}').rules).toEqual([{ path: 'secret/*', capabilities: ['create', 'delete', 'list', 'read', 'update'] }]);
    expect(parseAclPolicy('j', '{"path": {"/kv/a": {"capabilities": ["read", "deny"]}}}').rules).toEqual([{ path: 'kv/a', capabilities: ['deny'] }]);
    expect(() => parseAclPolicy('bad', 'path "a" {')).toThrow(/policy "bad": not valid HCL/);
    expect(() => parseAclPolicy('cap', 'path "a" { capabilities = ["reed"] }')).toThrow(/invalid capability "reed"/);
    expect(() => parseAclPolicy('wc', 'path "a/+*" { capabilities = ["read"] }')).toThrow(/\+\*/);
  });
});

const KV2: Record<string, Record<string, Capability>> = {
  data: { read: 'read-value', list: 'list', delete: 'delete', create: 'write', update: 'write', patch: 'write' },
  metadata: { read: 'read-metadata', list: 'list', delete: 'purge', create: 'write', update: 'write', patch: 'write' },
  delete: { create: 'delete', update: 'delete' },
  undelete: { create: 'write', update: 'write' },
  destroy: { create: 'purge', update: 'purge' },
};

describe('grants computed from policies', () => {
  const mounts: MountKind[] = [{ path: 'secret/', type: 'kv', kv_version: 2 }];
  const secretPath = fc.array(fc.constantFrom('a', 'ab', 'abc', 'b', 'data'), { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));

  it('cover exactly what Vault allows on every KV v2 object path (deny and precedence subtract)', () => {
    fc.assert(
      fc.property(policies, secretPath, (pols, x) => {
        const parsed: Record<string, AclPolicy> = {};
        for (const p of pols) parsed[p.name] = { name: p.name, rules: p.rules.map((r) => ({ path: r.path.replace(/^\/+/, ''), capabilities: r.capabilities })) };
        const grants = computeGrants({ principal: 'pr', vault: 'v', sources: pols.map((p) => ({ policy: p.name })), policies: parsed, mounts });
        const actual = new Set<Capability>();
        for (const g of grants) {
          if (g.capabilities.includes('manage-access')) continue;
          if (!referenceMatches(g.scope, `secret/${x}`)) continue;
          if ((g.except ?? []).some((e) => referenceMatches(e, `secret/${x}`))) continue;
          g.capabilities.forEach((c) => actual.add(c));
        }
        const expected = new Set<Capability>();
        for (const [space, map] of Object.entries(KV2)) {
          for (const c of referenceCapabilities(pols, `secret/${space}/${x}`)) if (map[c]) expected.add(map[c]);
        }
        expect([...actual].sort()).toEqual([...expected].sort());
      }),
      { numRuns: 3000 },
    );
  });
});
