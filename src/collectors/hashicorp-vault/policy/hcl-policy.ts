/**
 * Parses a Vault ACL policy (HCL, or its JSON form) into path rules with normalised capabilities,
 * using a real HCL parser (`hcl2-parser`, a build of HashiCorp's hcl/v2 + hcl2json).
 *
 * Normalisation follows Vault's policy.go: a leading `/` is stripped; `deny` anywhere leaves only
 * `deny`; the legacy `policy = "read|write|sudo|deny"` form expands to its capabilities; `+*` is
 * refused; an unknown capability is an error. Several stanzas for one path are merged.
 */
import { createRequire } from 'node:module';
import type { AclPolicy } from '../../../snapshot/types.js';

const require = createRequire(import.meta.url);
const hcl = require('hcl2-parser') as { parseToObject(input: string): [unknown, unknown] };

export const VAULT_CAPABILITIES = ['create', 'read', 'update', 'patch', 'delete', 'list', 'sudo', 'deny', 'subscribe'] as const;

const LEGACY: Record<string, string[]> = {
  deny: ['deny'],
  read: ['read', 'list'],
  write: ['create', 'read', 'update', 'delete', 'list'],
  sudo: ['create', 'read', 'update', 'delete', 'list', 'sudo'],
};

export class PolicyParseError extends Error {
  constructor(
    readonly policy: string,
    message: string,
  ) {
    super(`policy "${policy}": ${message}`);
    this.name = 'PolicyParseError';
  }
}

type Stanza = { capabilities?: unknown; policy?: unknown };

function parseDocument(name: string, text: string): Record<string, Stanza[]> {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  let doc: unknown;
  if (trimmed.startsWith('{')) {
    try {
      doc = JSON.parse(trimmed);
    } catch {
      throw new PolicyParseError(name, 'not valid JSON policy syntax');
    }
  } else {
    let result: [unknown, unknown];
    try {
      result = hcl.parseToObject(text);
    } catch {
      throw new PolicyParseError(name, 'not valid HCL');
    }
    if (result[1] !== null && result[1] !== undefined) throw new PolicyParseError(name, 'not valid HCL');
    doc = result[0];
  }
  if (doc === null || typeof doc !== 'object') throw new PolicyParseError(name, 'expected a document of path stanzas');
  const paths = (doc as { path?: unknown }).path;
  if (paths === undefined) return {};
  if (paths === null || typeof paths !== 'object' || Array.isArray(paths)) throw new PolicyParseError(name, 'expected `path "<glob>" { ... }` stanzas');
  const out: Record<string, Stanza[]> = {};
  for (const [p, body] of Object.entries(paths as Record<string, unknown>)) {
    const list = Array.isArray(body) ? body : [body];
    out[p] = list.map((b) => {
      if (b === null || typeof b !== 'object') throw new PolicyParseError(name, `path "${p}": expected a block`);
      return b as Stanza;
    });
  }
  return out;
}

function capabilitiesOf(name: string, path: string, stanza: Stanza): string[] {
  const caps: string[] = [];
  if (stanza.policy !== undefined) {
    const legacy = typeof stanza.policy === 'string' ? LEGACY[stanza.policy.toLowerCase()] : undefined;
    if (!legacy) throw new PolicyParseError(name, `path "${path}": invalid legacy policy ${JSON.stringify(stanza.policy)}`);
    caps.push(...legacy);
  }
  if (stanza.capabilities !== undefined) {
    if (!Array.isArray(stanza.capabilities)) throw new PolicyParseError(name, `path "${path}": capabilities must be a list`);
    for (const c of stanza.capabilities) {
      if (typeof c !== 'string') throw new PolicyParseError(name, `path "${path}": capability must be a string`);
      const lc = c.toLowerCase();
      if (!(VAULT_CAPABILITIES as readonly string[]).includes(lc)) throw new PolicyParseError(name, `path "${path}": invalid capability "${c}"`);
      caps.push(lc);
    }
  }
  return caps;
}

/** Parses one named policy. Rules are sorted by path for a deterministic snapshot. */
export function parseAclPolicy(name: string, text: string): AclPolicy {
  const doc = parseDocument(name, text);
  const merged = new Map<string, Set<string>>();
  for (const [written, stanzas] of Object.entries(doc)) {
    let path = written;
    while (path.startsWith('/')) path = path.slice(1);
    if (path.includes('+*')) throw new PolicyParseError(name, `path "${written}": invalid use of wildcards ('+*' is forbidden)`);
    const set = merged.get(path) ?? new Set<string>();
    for (const s of stanzas) for (const c of capabilitiesOf(name, written, s)) set.add(c);
    merged.set(path, set);
  }
  const rules = [...merged.entries()]
    .map(([path, set]) => ({ path, capabilities: set.has('deny') ? ['deny'] : [...set].sort() }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { name, rules };
}
