/**
 * Runs the composite action (action.yml) the way the GitHub runner does, as far as a machine
 * without GitHub can: each step's `if:` is evaluated (a subset of the expression language: contexts,
 * string literals, ==, !=, !, &&, ||, parentheses, always()/success()/failure()/cancelled()), `${{ }}`
 * in env and with: are substituted, `run:` steps run with `bash --noprofile --norc -eo pipefail` and
 * the runner's files (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_ENV per step), `uses:` steps are
 * handed to the test's fakes (the third-party actions cannot run here), continue-on-error turns a
 * failure's conclusion into success while its outcome stays failure, and the job fails when a step
 * concludes in failure. Workflow commands (::error, ::warning, ::notice) are collected from stdout.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

type Ctx = Record<string, unknown>;
export interface StepResult {
  id?: string;
  name: string;
  ran: boolean;
  outcome: 'success' | 'failure' | 'skipped';
  conclusion: 'success' | 'failure' | 'skipped';
  outputs: Record<string, string>;
  stdout: string;
  stderr: string;
}
export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  title?: string;
  message: string;
}
export interface FakeResult {
  outcome: 'success' | 'failure';
  outputs?: Record<string, string>;
}
/** A fake for a `uses:` step: gets the action reference (without @ref) and its evaluated `with:`. */
export type Fake = (uses: string, withArgs: Record<string, string>) => FakeResult;
export interface RunOptions {
  actionDir: string; // where action.yml and scripts/ci live (github.action_path)
  workspace: string; // the job's working directory (GITHUB_WORKSPACE)
  inputs: Record<string, string>;
  fakes: Fake;
  env?: Record<string, string>;
  github?: Record<string, string>;
}
export interface RunResult {
  steps: StepResult[];
  jobFailed: boolean;
  outputs: Record<string, string>;
  annotations: Annotation[];
  summary: string;
}

/** ::level key=value,...::message, unescaped as the runner does. */
function parseCommands(stdout: string): Annotation[] {
  const un = (s: string) => s.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const out: Annotation[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) continue;
    const props = Object.fromEntries((m[2] ?? '').split(',').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), un(kv.slice(kv.indexOf('=') + 1))]));
    out.push({ level: m[1] as Annotation['level'], title: props.title, message: un(m[3]!) });
  }
  return out;
}

function readOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

// --- expressions ------------------------------------------------------------------------------
type Tok = { t: 'str' | 'id' | 'op' | 'num'; v: string };
function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) i++;
    else if (c === "'") {
      let j = i + 1;
      let v = '';
      for (;;) {
        if (j >= src.length) throw new Error(`unterminated string in ${src}`);
        if (src[j] === "'" && src[j + 1] === "'") {
          v += "'";
          j += 2;
        } else if (src[j] === "'") break;
        else v += src[j++];
      }
      toks.push({ t: 'str', v });
      i = j + 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9.]+/.exec(src.slice(i))!;
      toks.push({ t: 'num', v: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.-]*/.exec(src.slice(i))!;
      toks.push({ t: 'id', v: m[0] });
      i += m[0].length;
    } else {
      const m = /^(&&|\|\||==|!=|!|\(|\))/.exec(src.slice(i));
      if (!m) throw new Error(`unsupported expression character ${c} in ${src}`);
      toks.push({ t: 'op', v: m[0] });
      i += m[0].length;
    }
  }
  return toks;
}

function evaluate(src: string, ctx: Ctx, status: { failed: boolean }): unknown {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const eat = (v?: string) => {
    const t = toks[p++];
    if (!t || (v !== undefined && t.v !== v)) throw new Error(`expected ${v ?? 'a token'} in ${src}`);
    return t;
  };
  const truthy = (v: unknown) => v !== '' && v !== false && v !== null && v !== undefined && v !== 0;
  const loose = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v === undefined || v === null ? '' : String(v));
  function primary(): unknown {
    const t = eat();
    if (t.t === 'str') return t.v;
    if (t.t === 'num') return Number(t.v);
    if (t.t === 'op' && t.v === '(') {
      const v = or();
      eat(')');
      return v;
    }
    if (t.t === 'op' && t.v === '!') return !truthy(primary());
    if (t.t === 'id') {
      if (peek()?.v === '(') {
        eat('(');
        eat(')');
        if (t.v === 'always') return true;
        if (t.v === 'success') return !status.failed;
        if (t.v === 'failure') return status.failed;
        if (t.v === 'cancelled') return false;
        throw new Error(`unsupported function ${t.v}()`);
      }
      if (t.v === 'true') return true;
      if (t.v === 'false') return false;
      let v: unknown = ctx;
      for (const part of t.v.split('.')) v = v && typeof v === 'object' ? (v as Ctx)[part] : undefined;
      return v ?? '';
    }
    throw new Error(`unexpected ${t.v} in ${src}`);
  }
  function cmp(): unknown {
    const a = primary();
    const op = peek();
    if (op && (op.v === '==' || op.v === '!=')) {
      eat();
      const b = primary();
      return op.v === '==' ? loose(a) === loose(b) : loose(a) !== loose(b);
    }
    return a;
  }
  function and(): unknown {
    let a = cmp();
    while (peek()?.v === '&&') {
      eat();
      const b = cmp();
      a = truthy(a) ? b : a;
    }
    return a;
  }
  function or(): unknown {
    let a = and();
    while (peek()?.v === '||') {
      eat();
      const b = and();
      a = truthy(a) ? a : b;
    }
    return a;
  }
  const v = or();
  if (p !== toks.length) throw new Error(`trailing tokens in ${src}`);
  return v;
}

const str = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'boolean' ? String(v) : String(v));
function substitute(text: string, ctx: Ctx, status: { failed: boolean }): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_, e: string) => str(evaluate(e, ctx, status)));
}
function condition(expr: string | undefined, ctx: Ctx, status: { failed: boolean }): boolean {
  if (expr === undefined) return !status.failed; // implicit success()
  const src = expr.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1');
  const usesStatus = /\b(always|success|failure|cancelled)\(\)/.test(src);
  const v = evaluate(src, ctx, status);
  const ok = v !== '' && v !== false && v !== null && v !== undefined && v !== 0;
  return usesStatus ? ok : ok && !status.failed;
}

export function runAction(opts: RunOptions): RunResult {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const action: any = parse(readFileSync(join(opts.actionDir, 'action.yml'), 'utf8'));
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries<{ default?: string }>(action.inputs ?? {})) inputs[name] = opts.inputs[name] ?? str(spec.default);
  for (const name of Object.keys(opts.inputs)) if (!(name in inputs)) throw new Error(`action.yml has no input ${name}`);
  const files = mkdtempSync(join(opts.workspace, '.runner-'));
  const temp = join(files, 'temp');
  mkdirSync(temp);
  const github = { action_path: opts.actionDir, run_id: '4242', run_attempt: '1', job: 'gate', workflow: 'vaultproof', repository: 'acme/infra', workspace: opts.workspace, ...opts.github };
  const steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
  const ctx: Ctx = { inputs, steps, github, runner: { temp, os: 'Linux', arch: 'X64' }, env: {} };
  const status = { failed: false };
  const results: StepResult[] = [];
  const annotations: Annotation[] = [];
  let summary = '';
  const jobEnv: Record<string, string> = {};

  action.runs.steps.forEach((step: Ctx, n: number) => {
    const name = str(step.name ?? step.uses ?? step.run);
    const id = step.id as string | undefined;
    const record: StepResult = { id, name, ran: false, outcome: 'skipped', conclusion: 'skipped', outputs: {}, stdout: '', stderr: '' };
    results.push(record);
    if (id) steps[id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
    if (!condition(step.if as string | undefined, ctx, status)) return;
    record.ran = true;
    const env = Object.fromEntries(Object.entries((step.env ?? {}) as Record<string, string>).map(([k, v]) => [k, substitute(str(v), ctx, status)]));
    let ok: boolean;
    if (typeof step.uses === 'string') {
      const withArgs = Object.fromEntries(Object.entries((step.with ?? {}) as Record<string, string>).map(([k, v]) => [k, substitute(str(v), ctx, status)]));
      const r = opts.fakes(step.uses.replace(/@.*$/, ''), withArgs);
      ok = r.outcome === 'success';
      record.outputs = r.outputs ?? {};
    } else {
      const stepFiles = { GITHUB_OUTPUT: join(files, `output-${n}`), GITHUB_STEP_SUMMARY: join(files, `summary-${n}`), GITHUB_ENV: join(files, `env-${n}`) };
      for (const f of Object.values(stepFiles)) writeFileSync(f, '');
      const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', substitute(str(step.run), ctx, status)], {
        cwd: opts.workspace,
        encoding: 'utf8',
        env: {
          ...(opts.env ?? { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }),
          ...jobEnv,
          CI: 'true',
          GITHUB_ACTIONS: 'true',
          GITHUB_ACTION_PATH: opts.actionDir,
          GITHUB_WORKSPACE: opts.workspace,
          GITHUB_RUN_ID: github.run_id,
          GITHUB_RUN_ATTEMPT: github.run_attempt,
          GITHUB_REPOSITORY: github.repository,
          RUNNER_TEMP: temp,
          RUNNER_OS: 'Linux',
          RUNNER_ARCH: 'X64',
          ...stepFiles,
          ...env,
        },
      });
      record.stdout = r.stdout;
      record.stderr = r.stderr;
      ok = r.status === 0;
      record.outputs = readOutputs(stepFiles.GITHUB_OUTPUT);
      summary += readFileSync(stepFiles.GITHUB_STEP_SUMMARY, 'utf8');
      Object.assign(jobEnv, readOutputs(stepFiles.GITHUB_ENV));
      annotations.push(...parseCommands(r.stdout));
    }
    record.outcome = ok ? 'success' : 'failure';
    record.conclusion = ok || step['continue-on-error'] === true ? 'success' : 'failure';
    if (record.conclusion === 'failure') status.failed = true;
    if (id) steps[id] = { outputs: record.outputs, outcome: record.outcome, conclusion: record.conclusion };
  });

  const outputs = Object.fromEntries(Object.entries<{ value: string }>(action.outputs ?? {}).map(([k, v]) => [k, substitute(v.value, ctx, status)]));
  return { steps: results, jobFailed: status.failed, outputs, annotations, summary };
}
