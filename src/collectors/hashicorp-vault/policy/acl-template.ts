/**
 * Templated ACL policy paths (`{{identity.entity.id}}`, `{{identity.entity.name}}`,
 * `{{identity.groups.names.<name>.id}}`...), as Vault's identity templating fills them per token.
 *
 * Where the entity holding the policy is known (a Vault identity entity, with its aliases and the
 * groups it belongs to), a template is replaced by its value. Where it is not (an auth role, whose
 * tokens get an entity only at login; a group, whose members differ; or a value the entity lacks),
 * the path is widened to every path it could expand to: the segment holding the template becomes
 * `+` (any one segment), or, in a last segment ending in `*`, the literal text before the template
 * followed by `*`. A templated path never covers nothing.
 */
import type { Json } from '../raw.js';

/** What a template can be resolved against: the entity holding the policy and its groups. */
export interface TemplateContext {
  entity: Json;
  /** Every group the entity belongs to (directly or through a parent group). */
  groups: Json[];
}

const TEMPLATE = /\{\{\s*([^{}]*?)\s*\}\}/g;

export const isTemplated = (path: string): boolean => /\{\{[^{}]*\}\}/.test(path);

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const record = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function metadataValue(holder: unknown, rest: string[]): string | undefined {
  if (rest.length < 2 || (rest[0] !== 'metadata' && rest[0] !== 'custom_metadata')) return undefined;
  return str(record(record(holder)[rest[0]])[rest.slice(1).join('.')]);
}

function groupValue(group: Json | undefined, rest: string[], field: 'id' | 'name'): string | undefined {
  if (!group) return undefined;
  if (rest.length === 1 && rest[0] === field) return str(group[field]);
  return metadataValue(group, rest);
}

/** The value of one template name for the context, undefined when it cannot be told. */
export function templateValue(name: string, ctx: TemplateContext | undefined): string | undefined {
  if (!ctx) return undefined;
  const parts = name.split('.');
  if (parts[0] !== 'identity') return undefined;
  const e = ctx.entity;
  if (parts[1] === 'entity') {
    if (parts.length === 3 && (parts[2] === 'id' || parts[2] === 'name')) return str(e[parts[2]]);
    if (parts[2] === 'metadata') return metadataValue(e, parts.slice(2));
    if (parts[2] === 'aliases' && parts.length >= 5) {
      const aliases = Array.isArray(e.aliases) ? (e.aliases as Json[]) : [];
      const alias = aliases.find((a) => a.mount_accessor === parts[3]);
      if (!alias) return undefined;
      const rest = parts.slice(4);
      if (rest.length === 1 && (rest[0] === 'id' || rest[0] === 'name')) return str(alias[rest[0]]);
      return metadataValue(alias, rest);
    }
    return undefined;
  }
  if (parts[1] === 'groups' && parts.length >= 5) {
    if (parts[2] === 'ids') return groupValue(ctx.groups.find((g) => g.id === parts[3]), parts.slice(4), 'name');
    if (parts[2] === 'names') return groupValue(ctx.groups.find((g) => g.name === parts[3]), parts.slice(4), 'id');
  }
  return undefined;
}

/** The path with its templates resolved against `ctx`, or widened where they cannot be. */
export function resolveTemplatedPath(path: string, ctx: TemplateContext | undefined): string {
  if (!isTemplated(path)) return path;
  const segs = path.split('/');
  const out = segs.map((seg, i) => {
    if (!isTemplated(seg)) return seg;
    let unresolved = false;
    const filled = seg.replace(TEMPLATE, (_m, name: string) => {
      const v = templateValue(name, ctx);
      if (v === undefined) unresolved = true;
      return v ?? '';
    });
    if (!unresolved) return filled;
    const last = i === segs.length - 1;
    if (last && seg.endsWith('*')) return `${seg.slice(0, seg.indexOf('{{'))}*`;
    return '+';
  });
  return out.join('/');
}
