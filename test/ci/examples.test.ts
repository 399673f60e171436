/**
 * The Azure DevOps and GitLab examples parse as YAML and keep the gate's shape: JUnit published even
 * when the gate fails, the gate's exit code applied last, federated credentials (no secret variables).
 * (No offline linter exists for these two formats; actionlint covers the GitHub workflows.) The
 * Kubernetes jobs run the Dockerfile's image as the unprivileged user.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const load = (p: string) => ({ text: readFileSync(join(root, p), 'utf8'), doc: parse(readFileSync(join(root, p), 'utf8')) as Record<string, unknown> });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('Azure DevOps template', () => {
  const { doc, text } = load('examples/azure-devops/vaultproof-gate.yml');
  const steps: Json[] = (doc.jobs as Json)[0].steps;

  it('scans inside the federated AzureCLI task and applies the gate after publishing', () => {
    const scan = steps.find((s) => s.task === 'AzureCLI@2');
    expect(scan.inputs.azureSubscription).toBe('${{ parameters.azureServiceConnection }}');
    expect(scan.inputs.inlineScript).toMatch(/--format json --out "\$VP_OUT\/findings.json"/);
    const publishIdx = steps.findIndex((s) => s.task === 'PublishTestResults@2');
    const gateIdx = steps.findIndex((s) => typeof s.bash === 'string' && /exit "\$\{EXIT_CODE:-2\}"/.test(s.bash));
    expect(publishIdx).toBeGreaterThan(0);
    expect(gateIdx).toBe(steps.length - 1);
    for (const s of steps.slice(publishIdx)) expect(s.condition).toBe('always()');
    expect(text).not.toMatch(/clientSecret|client-secret/i);
  });

  it('installs vaultproof from the checkout of its repository resource', () => {
    const checkouts = steps.filter((s) => 'checkout' in s).map((s) => s.checkout);
    expect(checkouts).toEqual(['self', 'vaultproof']);
    expect(steps.some((s) => s.bash === 'bash "$(Agent.BuildDirectory)/vaultproof/scripts/ci/install.sh"')).toBe(true);
    expect(steps.find((s) => s.task === 'AzureCLI@2').inputs.inlineScript).toMatch(/node "\$VP_HOME\/bin\/vaultproof.js"/);
  });

  it('is used by the example pipeline', () => {
    const { doc: pipeline } = load('examples/azure-devops/azure-pipelines.yml');
    expect((pipeline.jobs as Json)[0].template).toBe('examples/azure-devops/vaultproof-gate.yml@vaultproof');
  });
});

describe('GitLab example', () => {
  const { doc } = load('examples/gitlab/.gitlab-ci.yml');
  const job = doc.vaultproof as Json;

  it('runs the container image, logs in with an OIDC id_token (workload identity), reports JUnit and runs the gate last', () => {
    expect(job.image.name).toBe('$VP_IMAGE');
    expect(job.id_tokens.AZURE_ID_TOKEN.aud).toBe('api://AzureADTokenExchange');
    expect(job.before_script.join('\n')).toMatch(/export AZURE_FEDERATED_TOKEN_FILE=/);
    expect(job.artifacts.when).toBe('always');
    expect(job.artifacts.reports.junit).toBe('vaultproof-out/junit.xml');
    expect(job.script.at(-1)).toMatch(/--fail-on "\$VP_FAIL_ON" --format json/);
    expect(job.script.slice(0, -1).filter((l: string) => /--format (junit|sarif)/.test(l)).every((l: string) => l.endsWith('|| true'))).toBe(true);
  });
});

describe('Kubernetes jobs', () => {
  for (const file of ['examples/kubernetes/collect-indexed-job.yaml', 'examples/kubernetes/merge-evaluate-job.yaml']) {
    it(`${file} runs vaultproof's image (by digest) as a non-root user`, () => {
      const { doc } = load(file);
      const c = (doc.spec as Json).template.spec.containers[0];
      expect(c.image).toMatch(/\/vaultproof@sha256:/);
      expect(c.args.join(' ')).toMatch(/^vaultproof (collect|merge)/);
      expect(c.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false });
    });
  }
});
