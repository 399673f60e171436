/**
 * The Dockerfile, checked as far as a machine without a Docker engine can (hadolint is run by hand,
 * see the README): every COPY from the build context names something in the repository that
 * .dockerignore lets through; the runtime stage is Node 20 slim, runs as a numeric non-root user,
 * and takes only the staged package from the build stage (no opa, no sources).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const stages = dockerfile.split(/^FROM /m).slice(1).map((s) => ({ header: s.split('\n')[0]!, body: s }));

describe('Dockerfile', () => {
  it('has an opa stage, a build stage and a runtime stage from Node 20 slim', () => {
    expect(stages.map((s) => s.header.split(' AS ')[1])).toEqual(['opa', 'build', 'runtime']);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
  });

  it('copies from the build context only what exists and .dockerignore lets through', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    expect(sources.length).toBeGreaterThan(5);
    for (const src of sources) {
      expect(`${src}: ${existsSync(join(root, src))}`).toBe(`${src}: true`);
      for (const pattern of ignored) expect(`${src} ignored by ${pattern}`).not.toBe(src === pattern || src.startsWith(`${pattern}/`) ? `${src} ignored by ${pattern}` : '');
    }
  });

  it('keeps keys, builds, tests and the local tools out of the context', () => {
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', 'policies/dist', 'tools', 'test', '.git', '**/*.key', '**/*.pem']));
  });

  it('runs as a numeric non-root user, with only the staged package from the build stage', () => {
    const runtime = stages.find((s) => s.header.endsWith('AS runtime'))!.body;
    expect(runtime).toMatch(/^USER 1000:1000$/m);
    expect([...runtime.matchAll(/^COPY .*$/gm)].map((m) => m[0])).toEqual(['COPY --from=build /opt/vaultproof /opt/vaultproof']);
    expect(runtime).not.toMatch(/opa/);
    expect(runtime).toMatch(/^ENTRYPOINT \["node", "\/opt\/vaultproof\/bin\/vaultproof.js"\]$/m);
  });

  it('compiles the policy bundle with opa in the build stage and installs production dependencies from the lockfile', () => {
    const build = stages.find((s) => s.header.endsWith('AS build'))!.body;
    expect(build).toContain('COPY --from=opa /out/opa /usr/local/bin/opa');
    expect(build).toMatch(/npm ci --no-audit --no-fund --ignore-scripts/);
    expect(build).toMatch(/npm ci --omit=dev/);
    expect(build).toMatch(/npm pack --ignore-scripts/);
  });
});
