/**
 * Issue 19.6: `vaultproof completion bash|zsh|fish` prints a script generated from the commander
 * tree. bash's is run for real (the function fills COMPREPLY like the shell would); zsh's and fish's
 * are syntax-checked by their shells where installed, and every verb and option of the tree appears in
 * all three.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram, run } from '../../src/cli/main.js';
import { commandSpecs } from '../../src/cli/commands/completion.js';
import { FORMATS } from '../../src/cli/formats.js';
import { fakeConsole } from '../support/fake-console.js';
import { IN_CI } from '../support/prerequisites.js';

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'vp-completion-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function script(shell: string): Promise<string> {
  const io = fakeConsole();
  expect(await run(['completion', shell], io)).toBe(0);
  return io.stdout;
}

/** What bash completes for the words typed so far (the last one being completed). */
function bashComplete(file: string, words: string[]): string[] {
  const r = spawnSync('bash', ['-c', `source ${JSON.stringify(file)}; COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')}); COMP_CWORD=${words.length - 1}; _vaultproof; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8', cwd: work });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
}

function shellAvailable(shell: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;
  if (!found && IN_CI) throw new Error(`prerequisite missing under CI: ${shell} (the completion script is checked with it)`);
  if (!found) console.warn(`SKIPPED: ${shell} not installed; its completion script is checked for content only`);
  return found;
}

describe('vaultproof completion', () => {
  const program = buildProgram(fakeConsole(), () => undefined);
  const specs = commandSpecs(program, FORMATS);

  it('walks the whole tree: every verb, the review attest subverb, their options', () => {
    const paths = specs.map((s) => s.path);
    for (const verb of ['scan', 'evaluate', 'collect', 'merge', 'render', 'verify', 'keygen', 'review', 'review attest', 'rules', 'explain', 'init', 'completion', 'schema']) expect(paths).toContain(verb);
    const scan = specs.find((s) => s.path === 'scan')!;
    expect(scan.options.find((o) => o.flags.includes('--format'))!.choices).toEqual([...FORMATS]);
    expect(scan.options.find((o) => o.flags.includes('--fail-on'))!.choices).toEqual(['critical', 'high', 'medium', 'low', 'info']);
    expect(specs.find((s) => s.path === '')!.options.find((o) => o.flags.includes('--log-format'))!.choices).toEqual(['text', 'json']);
  });

  it('bash: completes verbs, subverbs, options and option values as the shell would', async () => {
    const file = join(work, 'vaultproof.bash');
    writeFileSync(file, await script('bash'));
    expect(bashComplete(file, ['vaultproof', 'sc'])).toEqual(expect.arrayContaining(['scan', 'schema']));
    expect(bashComplete(file, ['vaultproof', 'scan', '--fa'])).toEqual(['--fail-on', '--fail-on-new']);
    expect(bashComplete(file, ['vaultproof', 'scan', '--format', ''])).toEqual([...FORMATS]);
    expect(bashComplete(file, ['vaultproof', 'evaluate', 'x.json', '--severity', 'cr'])).toEqual(['critical']);
    expect(bashComplete(file, ['vaultproof', 'review', 'at'])).toEqual(['attest']);
    expect(bashComplete(file, ['vaultproof', 'review', 'attest', '--re'])).toEqual(['--review']);
    expect(bashComplete(file, ['vaultproof', '--log-format', 'j'])).toEqual(['json']);
    expect(bashComplete(file, ['vaultproof', 'completion', 'f'])).toEqual([]);
  });

  it.each(['zsh', 'fish'])('%s: names every verb and option of the tree, and its shell parses it', async (shell) => {
    const text = await script(shell);
    for (const s of specs) {
      for (const sub of s.subcommands) expect(text).toContain(`'${sub}`);
      for (const o of s.options) for (const f of o.flags) expect(text).toContain(shell === 'fish' ? (f.startsWith('--') ? `-l ${f.slice(2)}` : `-s ${f.slice(1)}`) : `'${f}`);
    }
    if (!shellAvailable(shell)) return;
    const file = join(work, `vaultproof.${shell}`);
    writeFileSync(file, text);
    const r = spawnSync(shell, shell === 'fish' ? ['--no-execute', file] : ['-n', file], { encoding: 'utf8' });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('fish: offers scan\'s formats after --format (run by fish where installed)', async () => {
    if (!shellAvailable('fish')) return;
    const file = join(work, 'vaultproof.fish');
    writeFileSync(file, await script('fish'));
    const r = spawnSync('fish', ['-c', `source ${file}; complete -C 'vaultproof scan --format '`], { encoding: 'utf8' });
    expect(r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0])).toEqual(expect.arrayContaining([...FORMATS]));
    const verbs = spawnSync('fish', ['-c', `source ${file}; complete -C 'vaultproof sc'`], { encoding: 'utf8' });
    expect(verbs.stdout.split('\n').map((l) => l.split('\t')[0])).toEqual(expect.arrayContaining(['scan', 'schema']));
  });

  it('an unknown shell is a usage error (exit 2)', async () => {
    expect(await run(['completion', 'powershell'], fakeConsole())).toBe(2);
  });
});
