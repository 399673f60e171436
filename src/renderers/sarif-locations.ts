/**
 * Where the SARIF results of a run can point (the CLI's side of `SarifOptions`): the repository being
 * scanned is `GITHUB_WORKSPACE` when set (the checkout code scanning resolves paths against), else the
 * nearest directory with a `.git` above the config file (or, without one, above the working
 * directory). A config file inside it gives the results its path and the line of each vault's or
 * cluster's entry; without one, the rule policies are pointed at only when they are in that repository
 * (running vaultproof from its own checkout, or vendored into the repository, but not from
 * node_modules or an action's own checkout elsewhere). Reads the file system; the renderer stays pure.
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { VaultproofConfig } from '../config/load.js';
import { lineOfVault } from '../config/positions.js';
import { PACKAGE_ROOT } from '../version.js';
import type { SarifOptions } from './types.js';

export interface SarifLocationContext {
  cwd: string;
  env: Record<string, string | undefined>;
  /** Where vaultproof's own files are (default: this package). */
  packageRoot?: string;
}

export function sarifLocations(config: VaultproofConfig | undefined, ctx: SarifLocationContext): SarifOptions {
  const out: SarifOptions = {};
  const docs = ctx.env.VAULTPROOF_RULE_DOCS_URL?.trim();
  if (docs) out.ruleDocsBase = docs;
  const file = config?.source?.file;
  const fromConfig = file && file !== '-' ? real(resolve(ctx.cwd, file)) : undefined;
  const root = repositoryRoot(fromConfig ? dirname(fromConfig) : ctx.cwd, ctx.env);
  if (!root) return out;
  if (fromConfig) {
    const uri = inside(root, fromConfig);
    if (uri !== undefined) {
      const positions = config?.source?.positions;
      out.locationFile = { uri, ...(positions ? { lineOf: (r) => lineOfVault(positions, r.provider, r.vault) } : {}) };
      return out;
    }
  }
  const policies = inside(root, real(ctx.packageRoot ?? PACKAGE_ROOT));
  if (policies !== undefined && !policies.split('/').includes('node_modules')) out.policyRoot = policies;
  return out;
}

/** `GITHUB_WORKSPACE`, else the nearest ancestor of `from` holding `.git`, else undefined. */
export function repositoryRoot(from: string, env: Record<string, string | undefined>): string | undefined {
  const workspace = env.GITHUB_WORKSPACE?.trim();
  if (workspace) return real(resolve(workspace));
  for (let dir = real(from); ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** `path` relative to `root` with forward slashes ('' for the root itself), or undefined when outside it. */
function inside(root: string, path: string): string | undefined {
  const rel = relative(root, path);
  if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
