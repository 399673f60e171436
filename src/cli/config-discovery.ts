/**
 * `./vaultproof.yaml` found without `--config`, as Trivy finds `trivy.yaml` and Checkov `.checkov.yaml`.
 *
 * - A config named with `--config FILE` is used as given; `--no-config` uses none.
 * - Otherwise the working directory's `vaultproof.yaml` is used by the verbs that judge or collect
 *   the user's own estate (`scan` live or `--snapshot`, `evaluate`, `collect`, `review --snapshot`),
 *   and the run says so on stderr: its thresholds, waivers and principals change the verdict, so it
 *   must never apply unseen.
 * - The demo (`scan --demo`, `review --demo`) never picks one up: the embedded fleet gives the same
 *   output wherever it is run; `--config FILE` still applies to it when given.
 * - `render evidence-pack` takes only an explicit `--config`: it re-derives a past scan, and the
 *   findings document it checks says which config that scan used.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_CONFIG_FILE = 'vaultproof.yaml';

/** `--config` as commander gives it: a path, `false` for `--no-config`, or undefined when not given. */
export type ConfigFlag = string | false | undefined;

export interface ResolvedConfig {
  file: string | undefined;
  /** True when the file was found in the working directory rather than named. */
  discovered: boolean;
}

export function resolveConfigFile(flag: ConfigFlag, opts: { cwd: string; discover: boolean }): ResolvedConfig {
  if (typeof flag === 'string') return { file: flag, discovered: false };
  if (flag === false || !opts.discover) return { file: undefined, discovered: false };
  const candidate = join(opts.cwd, DEFAULT_CONFIG_FILE);
  if (existsSync(candidate) && statSync(candidate).isFile()) return { file: candidate, discovered: true };
  return { file: undefined, discovered: false };
}

/** The stderr line that says which config a run uses when it was not named. */
export function discoveredConfigLine(file: string): string {
  return `using config ${file} (found in the working directory; --config FILE names another, --no-config uses none)`;
}
