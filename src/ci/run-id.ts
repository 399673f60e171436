/**
 * The CI run a scan belongs to, detected from the variables each CI system sets, so that findings,
 * SIEM events and SARIF uploads of one pipeline run share a correlation id.
 *
 * - GitHub Actions: GITHUB_ACTIONS=true, GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT, GITHUB_REPOSITORY, GITHUB_SERVER_URL
 * - Azure DevOps: TF_BUILD=True, BUILD_BUILDID, SYSTEM_JOBATTEMPT, SYSTEM_COLLECTIONURI, SYSTEM_TEAMPROJECT
 * - GitLab CI: GITLAB_CI=true, CI_PIPELINE_ID, CI_JOB_ID, CI_JOB_URL
 *
 * The id only uses the numeric ids (validated), never free text from the environment.
 */

export type CiProvider = 'github-actions' | 'azure-devops' | 'gitlab';

export interface CiRun {
  provider: CiProvider;
  /** Correlation id for this run, e.g. `gha-1234567890-1`, `ado-4711-1`, `gitlab-998-12345`. */
  runId: string;
  /** Link to the run, when the variables allow one. */
  url?: string;
}

type Env = Record<string, string | undefined>;

const NUMERIC = /^\d{1,20}$/;

function num(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v !== undefined && NUMERIC.test(v) ? v : undefined;
}

function httpUrl(v: string | undefined): string | undefined {
  if (!v) return undefined;
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString().replace(/\/$/, '') : undefined;
  } catch {
    return undefined;
  }
}

function github(env: Env): CiRun | undefined {
  if (env.GITHUB_ACTIONS !== 'true') return undefined;
  const run = num(env, 'GITHUB_RUN_ID');
  if (!run) return undefined;
  const attempt = num(env, 'GITHUB_RUN_ATTEMPT') ?? '1';
  const server = httpUrl(env.GITHUB_SERVER_URL);
  const repo = env.GITHUB_REPOSITORY && /^[\w.-]+\/[\w.-]+$/.test(env.GITHUB_REPOSITORY) ? env.GITHUB_REPOSITORY : undefined;
  return {
    provider: 'github-actions',
    runId: `gha-${run}-${attempt}`,
    ...(server && repo ? { url: `${server}/${repo}/actions/runs/${run}/attempts/${attempt}` } : {}),
  };
}

function azureDevOps(env: Env): CiRun | undefined {
  if ((env.TF_BUILD ?? '').toLowerCase() !== 'true') return undefined;
  const build = num(env, 'BUILD_BUILDID');
  if (!build) return undefined;
  const attempt = num(env, 'SYSTEM_JOBATTEMPT') ?? '1';
  const collection = httpUrl(env.SYSTEM_COLLECTIONURI);
  const project = env.SYSTEM_TEAMPROJECT;
  return {
    provider: 'azure-devops',
    runId: `ado-${build}-${attempt}`,
    ...(collection && project ? { url: `${collection}/${encodeURIComponent(project)}/_build/results?buildId=${build}` } : {}),
  };
}

function gitlab(env: Env): CiRun | undefined {
  if (env.GITLAB_CI !== 'true') return undefined;
  const pipeline = num(env, 'CI_PIPELINE_ID');
  if (!pipeline) return undefined;
  const job = num(env, 'CI_JOB_ID');
  const url = httpUrl(env.CI_JOB_URL) ?? httpUrl(env.CI_PIPELINE_URL);
  return { provider: 'gitlab', runId: job ? `gitlab-${pipeline}-${job}` : `gitlab-${pipeline}`, ...(url ? { url } : {}) };
}

/** The CI run described by `env`, or undefined outside a recognised CI (or with malformed ids). */
export function detectCiRunId(env: Env): CiRun | undefined {
  return github(env) ?? azureDevOps(env) ?? gitlab(env);
}

const CORRELATION_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,127}$/;

/** Thrown for a `--correlation-id` that a SIEM or SARIF consumer could not carry safely. */
export class CorrelationIdError extends Error {
  constructor(value: string) {
    super(
      `--correlation-id: expected 1-128 characters of letters, digits and . _ : / @ + - (starting with a letter or digit), got ${JSON.stringify(value.slice(0, 40))}${value.length > 40 ? '…' : ''}`,
    );
    this.name = 'CorrelationIdError';
  }
}

/** `--correlation-id` if given, else the CI run id, else the scan id (DESIGN §3). */
export function resolveCorrelationId(explicit: string | undefined, env: Env, scanId: string): string {
  if (explicit !== undefined) {
    if (!CORRELATION_ID.test(explicit)) throw new CorrelationIdError(explicit);
    return explicit;
  }
  return detectCiRunId(env)?.runId ?? scanId;
}
