/**
 * The vaultproof CLI: argument parsing, verbs, exit codes (DESIGN §4). The only code that touches
 * process and stdout. User mistakes print one line and exit 2; no stack trace unless --verbose.
 */
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { EXIT } from '../findings/gate.js';
import { NothingEvaluatedError, PolicyBundleError, PolicyEvaluationError } from '../engine/errors.js';
import { FORMATS } from './formats.js';
import { keyPath, loadSnapshot } from '../snapshot/validate.js';
import { openSnapshotFile, type SnapshotFile } from '../snapshot/snapshot-file.js';
import { InputError } from '../util/input-error.js';
import { preloadInput, useStdin } from '../util/read-json.js';
import { PACKAGE_ROOT, TOOL_VERSION } from '../version.js';
import { CollectorConfigError } from '../collectors/types.js';
import { loadConfig } from '../config/load.js';
import { OverlapError } from '../snapshot/assemble.js';
import { collectSnapshot, collectWithLedger, DEFAULT_DEADLINE_SECONDS } from './commands/collect.js';
import { withEventsOfFile } from './commands/events.js';
import { collectShard, mergeCommand } from './commands/merge.js';
import { correlationId, deriveFindings, evaluateAndReport, evaluateFileAndReport } from './commands/evaluate.js';
import { keygen, verifyPack, writePack, type PackFlags } from './commands/evidence.js';
import { loadFindingsDocument } from '../findings/baseline.js';
import { toWaiver } from '../engine/waivers.js';
import { findingsContradiction } from '../evidence/consistency.js';
import { writeFileAtomic } from './io.js';
import { validateOutputTargets } from './output-targets.js';
import { explainRule, listRules } from './commands/rules.js';
import { registerReviewCommand } from './commands/review.js';
import { registerComplianceCommand } from './commands/compliance.js';
import { scanReviewFiles } from '../review/index.js';
import { processConsole, type Console } from './console.js';
import { parseExtraOutput, parseFormat, parseSeverity, parseSeverityList, type ExtraOutput, type OutputOptions } from './options.js';
import type { Severity } from '../findings/types.js';
import { DEFAULT_CONFIG_FILE, discoveredConfigLine, resolveConfigFile, type ConfigFlag } from './config-discovery.js';
import { checkOutputFiles } from './extra-outputs.js';
import { versionText } from './commands/version.js';
import { registerConvenienceCommands } from './commands/conveniences.js';
import { checkPdfPrerequisites } from './pdf-prerequisites.js';
import { defaultLogFormat, LOG_FORMATS, Logger } from '../log/index.js';
import { ledgerPathFor, readSiblingLedger } from '../ledger/index.js';

export const DEMO_SNAPSHOT = resolve(PACKAGE_ROOT, 'fixtures', 'demo', 'snapshot.json');

interface RawOutputFlags {
  format: string;
  out?: string;
  output?: ExtraOutput[];
  severity?: Severity[];
  failOn: OutputOptions['failOn'];
  allowIncomplete?: boolean;
  allowErrors?: boolean;
  onlyFailures?: boolean;
  correlationId?: string;
  /** A path, `false` for `--no-config`; resolved (./vaultproof.yaml found) by the verb before use. */
  config?: ConfigFlag;
  waivers?: string;
  baseline?: string;
  failOnNew?: boolean;
  siemSink?: string[];
  spoolDir?: string;
}

function outputOptions(flags: RawOutputFlags): OutputOptions {
  return {
    format: flags.format,
    out: flags.out,
    ...(flags.output?.length ? { outputs: flags.output } : {}),
    ...(flags.severity ? { severities: flags.severity } : {}),
    failOn: flags.failOn,
    allowIncomplete: Boolean(flags.allowIncomplete),
    allowErrors: Boolean(flags.allowErrors),
    onlyFailures: Boolean(flags.onlyFailures),
    correlationId: flags.correlationId,
    config: typeof flags.config === 'string' ? flags.config : undefined,
    waivers: flags.waivers,
    baseline: flags.baseline,
    failOnNew: Boolean(flags.failOnNew),
    siemSinks: flags.siemSink ?? [],
    spoolDir: flags.spoolDir,
  };
}

interface PackOptionFlags {
  evidencePack?: string;
  sign?: string;
  previous?: string;
  tarGz?: boolean;
  pdf?: boolean;
  overwrite?: boolean;
}

function packFlags(flags: PackOptionFlags): PackFlags | undefined {
  if (!flags.evidencePack) {
    for (const f of ['sign', 'previous', 'tarGz', 'pdf'] as const) {
      if (flags[f]) throw new InputError(`--${f.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, '', 'only applies with --evidence-pack DIR');
    }
    return undefined;
  }
  return { evidencePack: flags.evidencePack, sign: flags.sign, previous: flags.previous, tarGz: flags.tarGz, pdf: flags.pdf, overwrite: flags.overwrite };
}

function addPackOptions(cmd: Command, withDir = true): Command {
  if (withDir) cmd.option('--evidence-pack <dir>', 'also write a signed CAB evidence pack to this directory');
  return cmd
    .option('--sign <signer>', 'pack signer: ed25519:KEYFILE, azure-keyvault:KEY_ID_URL or vault-transit:ADDR/MOUNT/KEY')
    .option('--previous <dir>', 'previous evidence pack to chain to (its manifest digest is recorded)')
    .option('--tar-gz', 'also write DIR.tar.gz')
    .option('--pdf', 'also print index.html to DIR.pdf with headless Chromium')
    .option('--overwrite', 'replace a non-empty pack directory');
}

function addOutputOptions(cmd: Command): Command {
  addPackOptions(cmd);
  return cmd
    .addOption(new Option('-f, --format <format>', `output format: ${FORMATS.join(', ')}`).default('table').argParser(parseFormat))
    .option('-o, --out <file>', 'write the output to a file (atomically) instead of stdout')
    .option('--output <format=file>', `also write FORMAT to FILE from the same evaluation (repeatable; e.g. --output sarif=results.sarif --output html=report.html); FORMAT: ${FORMATS.join(', ')}`, parseExtraOutput)
    .option('--severity <list>', 'show only findings of these severities (comma-separated, e.g. critical,high) in every output; the gate still judges every finding', parseSeverityList)
    .addOption(new Option('--fail-on <severity>', 'lowest severity of an unwaived failure (exit 1) or of a check that could not be judged (exit 3) that fails the gate').default('high').argParser(parseSeverity))
    .option('--allow-incomplete', 'do not fail the gate (exit 3) when some scope could not be collected or some check could not be judged')
    .option('--allow-errors', 'do not fail the gate (exit 3) on checks that could not be judged (status error); unreadable scopes still do')
    .option('--only-failures', 'leave passing findings out of the output (the summary still counts them)')
    .option('--correlation-id <id>', 'correlation id stamped on the findings (default: the CI run id, else the scan id)')
    .option('-c, --config <file>', 'vaultproof.yaml: thresholds, classification, waivers, providers (default: ./vaultproof.yaml when present, except with --demo)')
    .option('--no-config', 'do not use ./vaultproof.yaml found in the working directory')
    .option('--waivers <file>', 'waiver file (YAML); overrides the config file\'s `waivers`')
    .option('--baseline <file>', 'previous findings document: mark failures new or unchanged, count fixed ones')
    .option('--fail-on-new', 'gate only on failures that are new since --baseline')
    .option('--siem-sink <spec>', 'deliver findings to a SIEM (repeatable): file:PATH, syslog+relp://H:P (acknowledged), syslog+tcp://H:P?unconfirmed=1, syslog+tls://H:P?unconfirmed=1&ca=FILE, splunk-hec+https://..., azure-logs+https://...; events lost past the spool exit 3', (v: string, prev: string[] = []) => [...prev, v])
    .option('--spool-dir <dir>', 'where undelivered SIEM events wait for the next run (default .vaultproof/spool)');
}

/** The option names that hold an input file read whole, and the verbs whose arguments are input files. */
const INPUT_FILE_OPTIONS = ['config', 'waivers', 'baseline', 'snapshot', 'attestation', 'review', 'findings', 'requirements'] as const;
const INPUT_FILE_ARGUMENT_VERBS = new Set(['evaluate', 'merge', 'render', 'attest']);

/** The input files of a verb about to run: its file options, and its arguments where they are inputs. */
function streamInputCandidates(action: Command): string[] {
  const opts = action.opts<Record<string, unknown>>();
  const files = INPUT_FILE_OPTIONS.map((o) => opts[o]).filter((v): v is string => typeof v === 'string' && v !== '');
  if (INPUT_FILE_ARGUMENT_VERBS.has(action.name())) {
    const args = action.processedArgs.flat().filter((v): v is string => typeof v === 'string');
    // `review attest DECISIONS ATTESTATION`: the second is written, not read.
    files.push(...(action.name() === 'attest' ? args.slice(0, 1) : args));
  }
  return files;
}

function ledgerOf(snapshotFile: string): { ledger?: string } {
  const text = readSiblingLedger(snapshotFile)?.text;
  return text !== undefined ? { ledger: text } : {};
}

/** `--events` on a snapshot file read vault by vault: the events are read against its vaults one at a time and attached to its head. */
async function eventsOfFile(source: SnapshotFile, configFile: string | undefined, log: Logger): Promise<SnapshotFile> {
  if (!configFile) throw new InputError('--events', '', 'needs --config vaultproof.yaml with an `events:` block');
  const config = loadConfig(configFile);
  const deadline = Date.now() + (config.collection?.deadline_seconds ?? DEFAULT_DEADLINE_SECONDS) * 1000;
  return withEventsOfFile(source, config, configFile, { now: source.head.now, deadline }, log);
}

/** Informational stderr lines of the commands go through the logger (JSON lines with --log-format json). */
function loggingConsole(io: Console, log: Logger): Console {
  return { ...io, err: (line: string) => log.info('cli.message', line) };
}

/** The scan a command works on: every later log line carries its scan id and correlation id. */
function bindScan(log: Logger, scanId: string, explicitCorrelationId: string | undefined): void {
  log.setContext({ scan_id: scanId, correlation_id: correlationId(explicitCorrelationId, scanId) });
}

/** Where the CLI runs: the working directory, where `./vaultproof.yaml` is looked for and `init` writes. */
export interface CliContext {
  cwd?: string;
}

export function buildProgram(rawIo: Console, setExit: (code: number) => void, logger?: Logger, context: CliContext = {}): Command {
  const log = logger ?? Logger.create({ format: 'text', level: 'info', write: (l) => rawIo.err(l) });
  const io = loggingConsole(rawIo, log);
  const cwd = context.cwd ?? process.cwd();
  /** The config a verb uses: named, none (--no-config), or ./vaultproof.yaml found (said on stderr) when `discover`. */
  const useConfig = (flag: ConfigFlag, discover: boolean): string | undefined => {
    const found = resolveConfigFile(flag, { cwd, discover });
    if (found.discovered && found.file) io.err(discoveredConfigLine(found.file));
    return found.file;
  };
  /** Progress lines are informational: --quiet turns them off, and asking for both is refused. */
  const progressFlag = (progress: boolean | undefined): boolean | undefined => {
    if (!program.opts<{ quiet?: boolean }>().quiet) return progress;
    if (progress) throw new InputError('--progress', '', 'contradicts --quiet: give one of them');
    return false;
  };
  const program = new Command();
  program
    .name('vaultproof')
    .description('Policy-as-code compliance scanner for secrets vaults (Azure Key Vault, HashiCorp Vault).')
    .option('-V, --version', 'print the version and the policy bundle digest')
    .on('option:version', () => {
      const { text, error } = versionText();
      rawIo.write(text);
      if (error) log.error('cli.version', error);
      throw new CommanderError(error ? EXIT.usage : 0, 'vaultproof.version', error ?? '(outputVersion)');
    })
    .option('--verbose', 'print stack traces and details of errors, and debug log lines')
    .option('-q, --quiet', 'no progress or informational lines on stderr (warnings and errors still; the output and the exit code are unchanged)')
    .addOption(new Option('--log-format <format>', 'stderr log lines: text, or json (JSON lines with scan and correlation ids; the default when CI is set)').choices(LOG_FORMATS))
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => rawIo.write(s), writeErr: (s) => (log.format === 'json' ? log.error('cli.usage', s.trim()) : process.stderr.write(s)) })
    .exitOverride()
    // Stream inputs (`-`, pipes, FIFOs) are read ahead asynchronously, so SIGINT/SIGTERM still end a
    // run whose writer connected and never wrote (issue 21); the loaders are then served from memory.
    .hook('preAction', async (_program, action) => {
      for (const file of streamInputCandidates(action)) await preloadInput(file);
    });

  /**
   * A snapshot file evaluated: read vault by vault, the findings spilled to disk, every output, the
   * pack and the SIEM delivery read from that stream (any fleet size; the same bytes as a snapshot
   * held whole). `ledgerBeside`: a pack takes the request ledger
   * written beside that snapshot file when it was collected.
   */
  async function evaluateSnapshotFile(file: string, flags: RawOutputFlags & { events?: boolean }, pack?: PackFlags, ledgerBeside?: string): Promise<number> {
    try {
      return await evaluateSnapshotFileUnmapped(file, flags, pack, ledgerBeside);
    } catch (e) {
      // An engine failure on an input the schema accepted names the input and the vault (issue 21).
      if (e instanceof PolicyEvaluationError) throw new InputError(file, e.shard === 'fleet' ? '$' : keyPath('vaults', e.shard), `the policy engine could not evaluate this input: ${e.message}`);
      throw e;
    }
  }

  async function evaluateSnapshotFileUnmapped(file: string, flags: RawOutputFlags & { events?: boolean }, pack?: PackFlags, ledgerBeside?: string): Promise<number> {
    const opts = outputOptions(flags);
    validateOutputTargets({ files: checkOutputFiles(opts), siemSinks: opts.siemSinks, spoolDir: opts.spoolDir });
    const opened = openSnapshotFile(file);
    try {
      bindScan(log, opened.head.scan_id, flags.correlationId);
      const source = flags.events ? await eventsOfFile(opened, opts.config, log) : opened;
      const ledger = pack && ledgerBeside ? readSiblingLedger(ledgerBeside)?.text : undefined;
      return await evaluateFileAndReport(source, opts, io, pack, ledger !== undefined ? { ledger } : {});
    } finally {
      opened.close();
    }
  }

  addOutputOptions(
    program
      .command('evaluate')
      .description('evaluate a snapshot file against the policy bundle and gate on the findings')
      .argument('<snapshot>', 'snapshot JSON (vaultproof/snapshot/v1)')
      .option('--events', 'read the event sources of --config (audit logs, rotation and approval records: paths in the config file, where `-` is refused; --config itself may be `-`) and judge them with the snapshot'),
  ).action(async (file: string, flags: RawOutputFlags & PackOptionFlags & { events?: boolean }) => {
    // The same as `scan --snapshot FILE`: a pack too, with the request ledger written beside FILE.
    const pack = packFlags(flags);
    if (pack?.pdf) await checkPdfPrerequisites();
    setExit(await evaluateSnapshotFile(file, { ...flags, config: useConfig(flags.config, true) }, pack, file));
  });

  program
    .command('collect')
    .description('snapshot the vaults named in vaultproof.yaml (metadata only) without evaluating')
    .option('-c, --config <file>', 'vaultproof.yaml with azure and/or hashicorp blocks (default: ./vaultproof.yaml)')
    .requiredOption('-o, --out <file>', 'where to write the snapshot JSON')
    .option('--progress', 'show progress on stderr even when not on a TTY or in CI')
    .option('--shard <K/N>', 'collect only shard K of N of the configured subscriptions, vaults and clusters (combine with `merge`)')
    .option('--correlation-id <id>', 'correlation id of the log lines and the request ledger (default: the CI run id, else the scan id)')
    .action(async (flags: { config?: string; out: string; progress?: boolean; shard?: string; correlationId?: string }) => {
      const progress = progressFlag(flags.progress);
      const configFile = useConfig(flags.config, true);
      if (!configFile) throw new InputError('collect', '', `expected --config FILE, or ${DEFAULT_CONFIG_FILE} in the working directory (\`vaultproof init --azure|--hashicorp\` writes a starter)`);
      validateOutputTargets({ files: [{ option: '--out', file: flags.out }] });
      const config = loadConfig(configFile);
      // Every call is recorded in <out>.ledger.jsonl as it happens.
      const { snapshot } = await collectWithLedger(
        (f) => (flags.shard ? collectShard(config, configFile, flags.shard, f) : collectSnapshot(config, configFile, f)),
        { correlationId: (id) => correlationId(flags.correlationId, id), ledgerFile: ledgerPathFor(flags.out), log, progress },
      );
      writeFileAtomic(flags.out, JSON.stringify(snapshot, null, 2) + '\n');
      const incomplete = snapshot.scopes.filter((x) => x.status === 'incomplete');
      io.err(`collected ${Object.keys(snapshot.vaults).length} vault(s), ${snapshot.scopes.length} scope(s), ${incomplete.length} incomplete -> ${flags.out}`);
      for (const x of incomplete) io.err(`  incomplete: ${x.provider} ${x.scope}: ${x.reason ?? 'no reason recorded'}`);
      setExit(0);
    });

  program
    .command('merge')
    .description('merge the shard snapshots of `collect --shard K/N` into one snapshot (overlaps rejected, gaps reported)')
    .argument('<shards...>', 'shard snapshot files')
    .requiredOption('-o, --out <file>', 'where to write the merged snapshot JSON')
    .option('--allow-gaps', 'merge even when shards are missing (recorded as incomplete scopes: the gate exits 3)')
    .action((files: string[], flags: { out: string; allowGaps?: boolean }) => setExit(mergeCommand(files, flags, io)));

  addOutputOptions(
    program
      .command('scan')
      .description('collect (or load) a snapshot, evaluate it and gate on the findings')
      .option('--demo', 'scan the embedded demo fleet (no network, no credentials)')
      .option('--snapshot <file>', 'scan a snapshot written earlier instead of collecting')
      .option('--snapshot-out <file>', 'also write the collected snapshot to this file')
      .option('--progress', 'show collection progress on stderr even when not on a TTY or in CI')
      .option('--events', 'with --snapshot: read the event sources of --config (paths in the config file, where `-` is refused) and judge them with the snapshot'),
  ).action(async (flags: RawOutputFlags & PackOptionFlags & { demo?: boolean; snapshot?: string; snapshotOut?: string; progress?: boolean; events?: boolean }) => {
    const source = flags.demo ? DEMO_SNAPSHOT : flags.snapshot;
    // Options of one mode are refused in the other, never ignored.
    if (flags.demo && flags.snapshot) throw new InputError('--demo', '', 'scans the embedded demo fleet: give --demo or --snapshot FILE, not both');
    if (source) {
      for (const [given, name] of [[flags.snapshotOut, '--snapshot-out'], [flags.progress, '--progress']] as const) {
        if (given) throw new InputError(name, '', `only applies to a live collection (--config without ${flags.demo ? '--demo' : '--snapshot'})`);
      }
    } else if (flags.events) {
      throw new InputError('--events', '', 'only applies with --snapshot FILE or --demo (a live scan reads the config\'s event sources anyway)');
    }
    const progress = progressFlag(flags.progress);
    // Every output target is checked before collecting (a bad one is exit 2, not a verdict then exit 2).
    validateOutputTargets({ files: [...checkOutputFiles(outputOptions(flags)), { option: '--snapshot-out', file: flags.snapshotOut }], siemSinks: flags.siemSink ?? [], spoolDir: flags.spoolDir });
    const pack = packFlags(flags);
    if (pack?.pdf) await checkPdfPrerequisites();
    // The demo gives the same output wherever it runs: ./vaultproof.yaml applies only when named.
    const configFile = useConfig(flags.config, !flags.demo);
    if (source) {
      // A snapshot collected earlier (not the demo) brings the ledger written beside it into the pack.
      setExit(await evaluateSnapshotFile(source, { ...flags, config: configFile }, pack, flags.snapshot));
      return;
    }
    if (!configFile) throw new InputError('scan', '', `expected --config vaultproof.yaml (live collection), ${DEFAULT_CONFIG_FILE} in the working directory, --snapshot FILE or --demo`);
    const config = loadConfig(configFile);
    const { snapshot, ledger } = await collectWithLedger((f) => collectSnapshot(config, configFile, f), {
      correlationId: (id) => correlationId(flags.correlationId, id),
      ...(flags.snapshotOut ? { ledgerFile: ledgerPathFor(flags.snapshotOut) } : {}),
      log,
      progress,
    });
    if (flags.snapshotOut) writeFileAtomic(flags.snapshotOut, JSON.stringify(snapshot, null, 2) + '\n');
    setExit(await evaluateAndReport(snapshot, outputOptions({ ...flags, config: configFile }), io, config, pack, { ledger: ledger.text() }));
  });

  addPackOptions(
    program
      .command('render')
      .description('render an artefact from a findings document; today: evidence-pack')
      .argument('<artefact>', 'evidence-pack')
      .argument('<findings>', 'findings JSON written by scan/evaluate --format json')
      .requiredOption('--snapshot <file>', 'the snapshot the findings were computed from')
      .requiredOption('-o, --out <dir>', 'directory to write the pack to (must not exist or be empty)')
      .option('--waivers <file>', 'the waiver file the scan used, recorded in the pack')
      .option('-c, --config <file>', 'the vaultproof.yaml the scan used (thresholds, principals, waivers): the findings are re-derived with it'),
    false,
  ).action(async (artefact: string, findingsFile: string, flags: PackOptionFlags & { snapshot: string; out: string; waivers?: string; config?: string }) => {
    if (artefact !== 'evidence-pack') throw new InputError('render', '', `expected "evidence-pack", found "${artefact}"`);
    if (flags.pdf) await checkPdfPrerequisites();
    const doc = loadFindingsDocument(findingsFile);
    const given = loadSnapshot(flags.snapshot);
    if (doc.scan.id !== given.scan_id) throw new InputError(flags.snapshot, '$.scan_id', `expected "${doc.scan.id}" (the scan id of ${findingsFile}), found "${given.scan_id}"`);
    log.setContext({ scan_id: doc.scan.id, correlation_id: doc.scan.correlation_id });
    // Only findings the snapshot gives are signed: re-derived with the same bundle, config and waivers, compared.
    const { doc: derived, bundle, waivers, snapshot, review } = await deriveFindings(given, { config: flags.config, waivers: flags.waivers }, doc.scan.correlation_id);
    const contradiction = findingsContradiction(doc, derived);
    if (contradiction) throw new InputError(findingsFile, '', `contradicts the snapshot ${flags.snapshot} (evaluated again with this bundle${flags.config ? ' and --config' : ''}${flags.waivers ? ' and --waivers' : ''}): ${contradiction}; not signed`);
    const extraFiles = scanReviewFiles(review, doc, TOOL_VERSION);
    await writePack(doc, snapshot, bundle, waivers.map(toWaiver), { ...packFlags({ ...flags, evidencePack: flags.out }), evidencePack: flags.out }, io, { ...ledgerOf(flags.snapshot), extraFiles });
    setExit(0);
  });

  program
    .command('verify')
    .description('verify an evidence pack: signature, every digest, missing or extra files, the chain link')
    .argument('<pack>', 'pack directory or .tar.gz (`-`: a .tar.gz on standard input)')
    .option('--key <file>', 'the signer\'s public key (PEM); without it, integrity is checked but not who signed')
    .option('--previous <pack>', 'the previous pack the manifest must chain to')
    .action(async (pack: string, flags: { key?: string; previous?: string }) => setExit(await verifyPack(pack, flags, io)));

  program
    .command('keygen')
    .description('create an Ed25519 key pair for signing evidence packs')
    .argument('<dir>', 'directory for evidence-signing.key and evidence-signing.pub')
    .action(async (dir: string) => setExit(await keygen(dir, io)));

  registerReviewCommand(program, io, setExit, useConfig);
  registerComplianceCommand(program, io, setExit, useConfig);

  program
    .command('rules')
    .description('list the rule catalog: id, severity, metric, control')
    .addOption(new Option('-f, --format <format>', 'table or json').choices(['table', 'json']).default('table'))
    .action((flags: { format: 'table' | 'json' }) => setExit(listRules(flags.format, io)));

  program
    .command('explain')
    .description('print what a rule checks, why, and how to fix it')
    .argument('<rule-id>', 'e.g. VP-ROT-001')
    .action((id: string) => setExit(explainRule(id, io)));

  registerConvenienceCommands(program, io, setExit, cwd);

  return program;
}

/** The value of `--log-format` in argv (read before parsing, so that parse errors are logged in that format too). */
function logFormatArg(argv: string[]): string | undefined {
  const i = argv.indexOf('--log-format');
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith('--log-format='))?.slice('--log-format='.length);
}

/**
 * `env` decides the default log format (JSON lines when CI is set); it is the process environment for
 * the real console and empty for an injected one unless given.
 */
export async function run(argv: string[], io: Console = processConsole, env: Record<string, string | undefined> = io === processConsole ? process.env : {}, context: CliContext = {}): Promise<number> {
  useStdin(() => process.stdin);
  let exitCode = 0;
  const verbose = argv.includes('--verbose');
  // --quiet: warnings and errors only (read before parsing, like --verbose, so every line obeys it).
  const quiet = argv.includes('--quiet') || argv.includes('-q');
  const log = Logger.create({ format: defaultLogFormat(logFormatArg(argv), env), level: verbose ? 'debug' : quiet ? 'warn' : 'info', write: (l) => io.err(l) });
  if (verbose && quiet) {
    log.error('cli.usage', '--quiet: contradicts --verbose: give one of them');
    return EXIT.usage;
  }
  const program = buildProgram(io, (c) => (exitCode = c), log, context);
  const fail = (e: Error, event: string, msg: string) => {
    log.error(event, msg, { error: log.redactor.error(e, false), ...(verbose && e.stack ? { stack: log.redactor.text(e.stack) } : {}) });
  };
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with code 0; usage mistakes were already printed by commander.
      return e.exitCode === 0 ? 0 : EXIT.usage;
    }
    if (
      e instanceof InputError ||
      e instanceof PolicyBundleError ||
      e instanceof NothingEvaluatedError ||
      e instanceof CollectorConfigError ||
      e instanceof OverlapError
    ) {
      fail(e, 'cli.input_error', e.message);
      return EXIT.usage;
    }
    if (e instanceof PolicyEvaluationError) {
      fail(e, 'cli.evaluation_error', e.message);
      return EXIT.usage;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    fail(err, 'cli.internal_error', `internal error: ${err.message}${verbose ? '' : ' (run with --verbose for details)'}`);
    return EXIT.usage;
  }
}
