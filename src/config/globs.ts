/**
 * Every glob field of vaultproof.yaml, checked against the one glob (src/util/glob.ts) when the
 * config loads: a pattern the glob refuses (`**` inside a segment, `[!...]`, a brace range, an
 * unclosed bracket) is one error naming the file, the path and the spelling to use instead. Also
 * gives `principals:` rules their place in the file for later refusals (config/principals.ts).
 */
import { globProblem, GlobSyntaxError } from '../util/glob.js';
import { regoContentTypeGlob } from '../util/glob-rego.js';
import { InputError } from '../util/input-error.js';
import type { VaultproofConfig } from './types.js';

type Kind = 'path' | 'name' | 'content-type';

function check(file: string, at: string, pattern: unknown, kind: Kind): void {
  if (typeof pattern !== 'string') return; // the schema reports the type
  const problem = globProblem(pattern);
  if (problem !== undefined) throw new InputError(file, at, `expected a glob (README "Globs"); "${pattern}" ${problem}`);
  if (kind === 'content-type') {
    try {
      regoContentTypeGlob(pattern);
    } catch (e) {
      if (e instanceof GlobSyntaxError) throw new InputError(file, at, `expected a content-type glob; "${pattern}" ${e.problem}`);
      throw e;
    }
  }
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Threshold lists holding globs, and what they are matched against. */
const THRESHOLD_GLOBS: Record<string, Kind> = {
  break_glass_paths: 'path',
  known_subsystems: 'path',
  admin_policies: 'name',
  hsm_required_key_types: 'name',
};

export function validateConfigGlobs(config: VaultproofConfig, file: string): void {
  const t = obj(config.thresholds);
  for (const [key, kind] of Object.entries(THRESHOLD_GLOBS)) list(t[key]).forEach((p, i) => check(file, `$.thresholds.${key}[${i}]`, p, kind));
  list(config.classification).forEach((c, i) => {
    const m = obj(obj(c).match);
    check(file, `$.classification[${i}].match.path`, m.path, 'path');
    check(file, `$.classification[${i}].match.content_type`, m.content_type, 'content-type');
  });
  (config.principals ?? []).forEach((r, i) => {
    check(file, `$.principals[${i}].match`, r.match, 'name');
    Object.defineProperty(r, 'source', { value: { file, at: `$.principals[${i}]` }, enumerable: false });
  });
  const events = obj(config.events);
  list(events.break_glass_paths).forEach((p, i) => check(file, `$.events.break_glass_paths[${i}]`, p, 'path'));
  list(events.sources).forEach((s, i) => check(file, `$.events.sources[${i}].path`, obj(s).path, 'path'));
  list(obj(obj(config.azure).filters).names).forEach((p, i) => check(file, `$.azure.filters.names[${i}]`, p, 'name'));
}
