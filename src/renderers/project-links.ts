/**
 * The project's public links, from package.json (`homepage`, `repository`), in one place: the home
 * page a SARIF driver names (`informationUri`) and where the rule pages (`docs/rules/<ID>.md`) live
 * (each rule's `helpUri`).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PACKAGE_ROOT } from '../version.js';

export interface ProjectLinks {
  /** The project's home page. */
  informationUri: string;
  /** Base URL of the rule pages: `<ruleDocsBase>/<ID>.md`. */
  ruleDocsBase: string;
}

interface PackageLinks {
  homepage?: string;
  repository?: string | { url?: string };
}

/** `git+https://host/owner/repo.git` (or a bare https URL) as the repository's web address. */
export function repositoryWebUrl(repository: PackageLinks['repository']): string | undefined {
  const raw = typeof repository === 'string' ? repository : repository?.url;
  if (!raw) return undefined;
  const url = raw.replace(/^git\+/, '').replace(/\.git$/, '').replace(/\/+$/, '');
  return /^https:\/\//.test(url) ? url : undefined;
}

export function projectLinks(pkg: PackageLinks): ProjectLinks {
  const repo = repositoryWebUrl(pkg.repository);
  const home = pkg.homepage?.replace(/#.*$/, '').replace(/\/+$/, '') || repo;
  if (!repo || !home) throw new Error('package.json needs a repository (https URL) for the rule pages and SARIF links');
  return { informationUri: home, ruleDocsBase: `${repo}/blob/main/docs/rules` };
}

export const PROJECT_LINKS: ProjectLinks = projectLinks(JSON.parse(readFileSync(resolve(PACKAGE_ROOT, 'package.json'), 'utf8')) as PackageLinks);
