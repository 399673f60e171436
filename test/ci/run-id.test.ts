import { CorrelationIdError, detectCiRunId, resolveCorrelationId } from '../../src/ci/run-id.js';

describe('detectCiRunId', () => {
  it('reads GitHub Actions variables', () => {
    expect(
      detectCiRunId({ GITHUB_ACTIONS: 'true', GITHUB_RUN_ID: '9876543210', GITHUB_RUN_ATTEMPT: '2', GITHUB_REPOSITORY: 'acme/infra', GITHUB_SERVER_URL: 'https://github.com' }),
    ).toEqual({ provider: 'github-actions', runId: 'gha-9876543210-2', url: 'https://github.com/acme/infra/actions/runs/9876543210/attempts/2' });
  });

  it('reads Azure DevOps variables', () => {
    expect(
      detectCiRunId({ TF_BUILD: 'True', BUILD_BUILDID: '4711', SYSTEM_JOBATTEMPT: '1', SYSTEM_COLLECTIONURI: 'https://dev.azure.com/acme/', SYSTEM_TEAMPROJECT: 'Platform Ops' }),
    ).toEqual({ provider: 'azure-devops', runId: 'ado-4711-1', url: 'https://dev.azure.com/acme/Platform%20Ops/_build/results?buildId=4711' });
  });

  it('reads GitLab CI variables', () => {
    expect(detectCiRunId({ GITLAB_CI: 'true', CI_PIPELINE_ID: '998', CI_JOB_ID: '12345', CI_JOB_URL: 'https://gitlab.example.com/acme/infra/-/jobs/12345' })).toEqual({
      provider: 'gitlab',
      runId: 'gitlab-998-12345',
      url: 'https://gitlab.example.com/acme/infra/-/jobs/12345',
    });
  });

  it('returns undefined outside CI and ignores malformed ids', () => {
    expect(detectCiRunId({})).toBeUndefined();
    expect(detectCiRunId({ GITHUB_RUN_ID: '123' })).toBeUndefined(); // GITHUB_ACTIONS not set
    expect(detectCiRunId({ GITHUB_ACTIONS: 'true', GITHUB_RUN_ID: '12; rm -rf /' })).toBeUndefined();
    expect(detectCiRunId({ GITHUB_ACTIONS: 'true', GITHUB_RUN_ID: '12', GITHUB_REPOSITORY: 'not a repo' })).toEqual({ provider: 'github-actions', runId: 'gha-12-1' });
  });
});

describe('resolveCorrelationId', () => {
  const ci = { GITLAB_CI: 'true', CI_PIPELINE_ID: '5', CI_JOB_ID: '6' };
  it('prefers the flag, then the CI run id, then the scan id', () => {
    expect(resolveCorrelationId('change-1234', ci, 'scan-uuid')).toBe('change-1234');
    expect(resolveCorrelationId(undefined, ci, 'scan-uuid')).toBe('gitlab-5-6');
    expect(resolveCorrelationId(undefined, {}, 'scan-uuid')).toBe('scan-uuid');
  });
  it('refuses ids a SIEM could not carry, naming the flag', () => {
    expect(() => resolveCorrelationId('bad id\nwith newline', {}, 's')).toThrow(CorrelationIdError);
    expect(() => resolveCorrelationId('', {}, 's')).toThrow(/--correlation-id/);
  });
});
