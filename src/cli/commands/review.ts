/**
 * `vaultproof review` (the monthly access review of a snapshot: matrix, findings, diff against last
 * month, check of last month's attested decisions; HTML, CSV, JSON) and `vaultproof review attest`
 * (validate the reviewers' keep/revoke decisions and write the attestation for the next evidence pack).
 */
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { loadConfig, policyOverrides } from '../../config/load.js';
import { checkStandard } from '../../config/deviations.js';
import { loadBundle } from '../../engine/bundle.js';
import { Engine } from '../../engine/evaluate.js';
import { sha256Hex } from '../../evidence/encoding.js';
import { readVerifiedPack } from '../../evidence/verified-pack.js';
import { renderAccessReviewCsv } from '../../review/view/access-review-csv.js';
import { renderAccessReviewHtml } from '../../review/view/access-review-html.js';
import { renderAccessReviewJson } from '../../review/view/access-review-json.js';
import { attestationJson, decisionsTemplate, loadPreviousReview, parseDecisions, parseReviewConfig, REVIEW_FILES, runReview, type ReviewDocument } from '../../review/index.js';
import { loadSnapshot } from '../../snapshot/validate.js';
import { InputError } from '../../util/input-error.js';
import { readTextFile } from '../../util/read-json.js';
import { PACKAGE_ROOT, TOOL_VERSION } from '../../version.js';
import type { Console } from '../console.js';
import { writeFileAtomic } from '../io.js';

export const DECISIONS_FILE = 'access-review-decisions.yaml';
const DEMO = join(PACKAGE_ROOT, 'fixtures', 'demo', 'snapshot.json');
const RENDER: Record<string, (r: ReviewDocument) => string> = { json: renderAccessReviewJson, csv: renderAccessReviewCsv, html: renderAccessReviewHtml };

interface ReviewFlags {
  demo?: boolean;
  snapshot?: string;
  /** A path, or `false` for --no-config (resolved before review() runs). */
  config?: string | false;
  previous?: string;
  attestation?: string;
  format: string;
  out?: string;
  outDir?: string;
}

async function review(flags: ReviewFlags, io: Console): Promise<number> {
  if (flags.demo && flags.snapshot) throw new InputError('review', '', 'give either --demo or --snapshot FILE, not both');
  const source = flags.demo ? DEMO : flags.snapshot;
  if (!source) throw new InputError('review', '', 'expected --snapshot FILE (written by `vaultproof collect` or `scan --snapshot-out`) or --demo');
  const snapshot = loadSnapshot(source);
  const cfg = flags.config ? loadConfig(flags.config) : undefined;
  const bundle = loadBundle();
  if (cfg && flags.config) checkStandard(cfg, { file: flags.config, standard: bundle.defaults.thresholds, now: snapshot.now });
  const config = flags.config ? parseReviewConfig(cfg?.review, flags.config) : undefined;
  const { review: doc } = await runReview({
    snapshot,
    evaluate: async (reviewed, reviewPolicy) => (await Engine.create(bundle, { ...policyOverrides(cfg), review: reviewPolicy })).evaluateAsync(reviewed, { toolVersion: TOOL_VERSION }),
    toolVersion: TOOL_VERSION, readPack: readVerifiedPack,
    ...(config ? { config } : {}), ...(flags.previous ? { previous: flags.previous } : {}), ...(flags.attestation ? { attestation: flags.attestation } : {}),
  });
  if (flags.outDir) {
    const json = renderAccessReviewJson(doc);
    writeFileAtomic(join(flags.outDir, REVIEW_FILES.json), json);
    writeFileAtomic(join(flags.outDir, REVIEW_FILES.html), renderAccessReviewHtml(doc));
    writeFileAtomic(join(flags.outDir, REVIEW_FILES.csv), renderAccessReviewCsv(doc));
    writeFileAtomic(join(flags.outDir, DECISIONS_FILE), decisionsTemplate(doc, sha256Hex(json)));
    io.err(`access review ${doc.review_id}: ${flags.outDir}/{${REVIEW_FILES.json},${REVIEW_FILES.html},${REVIEW_FILES.csv},${DECISIONS_FILE}}`);
  } else {
    const text = (RENDER[flags.format] as (r: ReviewDocument) => string)(doc);
    if (flags.out) writeFileAtomic(flags.out, text);
    else io.write(text);
  }
  const s = doc.summary;
  const d = doc.diff?.counts;
  io.err(`access review ${doc.review_id}: ${doc.principals.length} principal(s), ${doc.grants.length} grant(s), ${doc.matrix.length} matrix row(s); findings: ${s.fail} fail, ${s.error} error, ${s.pass} pass` +
    (d ? `; since ${doc.diff?.previous.review_id}: ${d.added} added, ${d.removed} removed, ${d.widened} widened, ${d.narrowed} narrowed` : '') +
    (doc.attestation_check ? `; ${doc.attestation_check.not_carried_out.length} revocation(s) not carried out` : ''));
  return 0;
}

async function attest(decisionsFile: string, flags: { review: string; out: string }, io: Console): Promise<number> {
  // The review (a file, or a verified pack holding it) and the sha256 of its exact bytes.
  const prev = await loadPreviousReview(flags.review, readVerifiedPack);
  const att = parseDecisions(readTextFile(decisionsFile), decisionsFile, prev.review, prev.sha256);
  writeFileAtomic(flags.out, attestationJson(att));
  const revoked = att.decisions.filter((d) => d.decision === 'revoke').length;
  io.out(`attested ${att.review_id}: ${att.decisions.length} decision(s), ${revoked} revoke, ${att.decisions.length - revoked} keep, by ${att.reviewers.join(', ')} on ${att.completed_at} -> ${flags.out}`);
  io.out(`next: include it in the next evidence pack (review.attestation in vaultproof.yaml, or vaultproof review --previous ... --attestation ${flags.out})`);
  return 0;
}

/** Registers `review` and `review attest` on the program. */
/** `useConfig(flag, discover)`: the config a run uses (./vaultproof.yaml found when `discover`, said on stderr). */
export function registerReviewCommand(program: Command, io: Console, setExit: (code: number) => void, useConfig: (flag: string | false | undefined, discover: boolean) => string | undefined = (f) => (typeof f === 'string' ? f : undefined)): void {
  const cmd = program
    .command('review')
    .description('monthly access review of a snapshot: access matrix, findings, diff against last month, last month\'s decisions (HTML, CSV, JSON)')
    .option('--demo', 'review the embedded demo fleet')
    .option('--snapshot <file>', 'snapshot JSON to review')
    .option('-c, --config <file>', 'vaultproof.yaml: thresholds, classification and the review block (roster, previous, attestation); default: ./vaultproof.yaml when present, except with --demo')
    .option('--no-config', 'do not use ./vaultproof.yaml found in the working directory')
    .option('--previous <pack-or-review>', 'last month\'s evidence pack (directory or .tar.gz) or access-review.json')
    .option('--attestation <file>', 'the reviewers\' attestation of the previous review (written by `review attest`)')
    .addOption(new Option('-f, --format <format>', 'output format for stdout or --out').choices(Object.keys(RENDER)).default('json'))
    .option('-o, --out <file>', 'write the chosen format to this file')
    .option('--out-dir <dir>', `write ${REVIEW_FILES.json}, ${REVIEW_FILES.html}, ${REVIEW_FILES.csv} and ${DECISIONS_FILE} to this directory`);
  // The demo gives the same review wherever it runs: ./vaultproof.yaml applies only when named.
  cmd.action(async (flags: ReviewFlags) => setExit(await review({ ...flags, config: useConfig(flags.config, !flags.demo) }, io)));
  cmd
    .command('attest')
    .description('validate the reviewers\' keep/revoke decisions against the review and write the attestation')
    .argument('<decisions>', `the filled-in ${DECISIONS_FILE}`)
    .argument('<attestation>', `where to write the attestation JSON (e.g. ${REVIEW_FILES.attestation})`)
    .requiredOption('--review <file>', `the ${REVIEW_FILES.json} (or the evidence pack holding it) the decisions answer`)
    .action(async (decisions: string, out: string, flags: { review: string }) => setExit(await attest(decisions, { ...flags, out }, io)));
}
