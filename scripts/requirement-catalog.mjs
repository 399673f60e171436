// The requirement catalog (policies/standard/requirements.yaml): every requirement of the
// secrets-management standard with its stable id, section, text and disposition, and the checks
// that tie it to the rules' METADATA (`custom.requirements`). Shared by scripts/build-policies.mjs
// (which fails the build on any problem) and scripts/generate-rule-docs.mjs (docs/standard.md).
//
// The catalog's shape is read at run time too (the compliance view): a top-level `requirements:`
// list of { id, section, text, disposition, reason?, note? }. Which rules judge a requirement is
// not in the catalog: it comes from the rules' METADATA.
//
// A rule names the ids it judges as `custom.requirements: [SM-…]`. A rule that judges nothing the
// standard asks (a peer benchmark's control such as network isolation, or vaultproof's own waiver
// policy) says so explicitly: `requirements: []` with `beyond_standard: true`; docs/standard.md
// lists those rules apart.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';

export const REQUIREMENTS_FILE = 'policies/standard/requirements.yaml';
export const DISPOSITIONS = Object.freeze(['automated', 'evidenced', 'out-of-scope']);
/** SM-<chapter>[.<item>]-<letter>: SM-0-a, SM-1.2-a, SM-4.1-c. */
export const REQUIREMENT_ID = /^SM-\d+(?:\.\d+)?-[a-z]$/;
const FIELDS = new Set(['id', 'section', 'text', 'disposition', 'reason', 'note']);

/**
 * Requirements that rules being written (in a session's parallel work) will judge: while one of
 * them has no rule naming it the build prints a warning instead of failing. Add an id only while its
 * rule is on its way and remove it once the rule has landed (the build says which can go); the list
 * is empty when the work is done, and then an automated or evidenced requirement without a rule
 * fails the build.
 */
export const AWAITING_RULES = Object.freeze(new Set([]));

/**
 * Reads and checks the catalog at `root`/policies/standard/requirements.yaml.
 * Returns { requirements, problems }: the entries as written (in file order) and "file: where: what
 * is wrong" lines for a missing or unparsable file, an entry without a well-formed id, a duplicate
 * id, a missing section or text, a missing or unknown disposition, an out-of-scope entry without a
 * reason, a reason on an entry that is not out of scope, and an unknown field.
 */
export function readRequirements(root) {
  const file = join(root, REQUIREMENTS_FILE);
  if (!existsSync(file)) return { requirements: [], problems: [`${REQUIREMENTS_FILE}: not found (the requirement catalog of the standard)`] };
  const doc = parseDocument(readFileSync(file, 'utf8'));
  if (doc.errors.length) {
    return { requirements: [], problems: doc.errors.map((e) => `${REQUIREMENTS_FILE}:${e.linePos?.[0]?.line ?? '?'}: not valid YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:$/, '')}`) };
  }
  const data = doc.toJS();
  if (!data || typeof data !== 'object' || !Array.isArray(data.requirements)) {
    return { requirements: [], problems: [`${REQUIREMENTS_FILE}: expected a top-level \`requirements:\` list`] };
  }
  return { requirements: data.requirements, problems: entryProblems(data.requirements) };
}

function entryProblems(entries) {
  const problems = [];
  const seen = new Map();
  entries.forEach((entry, i) => {
    const at = `${REQUIREMENTS_FILE}: requirements[${i}]${typeof entry?.id === 'string' ? ` (${entry.id})` : ''}`;
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push(`${at}: expected a mapping with id, section, text and disposition`);
      return;
    }
    const { id, disposition } = entry;
    if (typeof id !== 'string' || !REQUIREMENT_ID.test(id)) {
      problems.push(`${at}: id ${JSON.stringify(id ?? null)} must look like SM-1.2-a (SM-<chapter>[.<item>]-<letter>)`);
    } else if (seen.has(id)) {
      problems.push(`${at}: id ${id} is also requirements[${seen.get(id)}] (ids are unique)`);
    } else {
      seen.set(id, i);
    }
    for (const field of ['section', 'text']) {
      if (typeof entry[field] !== 'string' || !entry[field].trim()) problems.push(`${at}: ${field} is missing`);
    }
    if (disposition === undefined) problems.push(`${at}: disposition is missing (one of ${DISPOSITIONS.join(', ')})`);
    else if (!DISPOSITIONS.includes(disposition)) problems.push(`${at}: disposition ${JSON.stringify(disposition)} must be one of ${DISPOSITIONS.join(', ')}`);
    const hasReason = typeof entry.reason === 'string' && entry.reason.trim() !== '';
    if (disposition === 'out-of-scope' && !hasReason) problems.push(`${at}: out-of-scope needs a reason (one line a CAB accepts: why a vault scanner cannot judge it)`);
    if (entry.reason !== undefined && disposition !== 'out-of-scope') problems.push(`${at}: reason is only for out-of-scope requirements (this one is ${disposition ?? 'without disposition'}: its rules judge it)`);
    if (entry.note !== undefined && (typeof entry.note !== 'string' || !entry.note.trim())) problems.push(`${at}: note must be a sentence`);
    for (const key of Object.keys(entry)) {
      if (!FIELDS.has(key)) problems.push(`${at}: unknown field ${key} (fields: ${[...FIELDS].join(', ')}; the rules behind a requirement come from their METADATA)`);
    }
  });
  return problems;
}

/**
 * Problems with the rules' `custom.requirements` (rules under policies/ only: a test bundle's rules
 * are not the rulebook) against the catalog, and the warnings for AWAITING_RULES.
 * rules: the catalog entries (with `requirements`, `source_file`); beyondStandard: rule id -> the
 * METADATA `beyond_standard` value; rawRequirements: rule id -> METADATA custom.requirements as
 * written (undefined when absent).
 * Returns { problems, warnings }.
 */
export function ruleRequirementProblems({ rules, requirements, rawRequirements, beyondStandard, awaiting = AWAITING_RULES }) {
  const problems = [];
  const warnings = [];
  const byId = new Map(requirements.filter((r) => typeof r?.id === 'string').map((r) => [r.id, r]));
  const judgedBy = new Map();
  for (const rule of rules.filter((r) => r.source_file.startsWith('policies/'))) {
    const at = `${rule.source_file}: rule ${rule.id}`;
    const raw = rawRequirements.get(rule.id);
    const beyond = beyondStandard.get(rule.id);
    if (raw === undefined) {
      problems.push(`${at}: METADATA custom.requirements is missing (the ids of ${REQUIREMENTS_FILE} it judges, e.g. [SM-1.1-c]; [] with beyond_standard: true when it judges nothing the standard asks)`);
      continue;
    }
    if (!Array.isArray(raw) || !raw.every((x) => typeof x === 'string')) {
      problems.push(`${at}: METADATA custom.requirements must be a list of requirement ids, e.g. [SM-1.1-c, SM-1.1-d]`);
      continue;
    }
    if (beyond !== undefined && beyond !== true) problems.push(`${at}: METADATA custom.beyond_standard must be true or absent`);
    if (raw.length === 0 && beyond !== true) {
      problems.push(`${at}: METADATA custom.requirements is empty: name the requirements it judges, or mark it beyond_standard: true (a control the standard does not ask for)`);
    }
    if (raw.length > 0 && beyond === true) problems.push(`${at}: METADATA names requirements and beyond_standard: true; drop one`);
    const seen = new Set();
    for (const id of raw) {
      if (seen.has(id)) problems.push(`${at}: METADATA custom.requirements names ${id} twice`);
      seen.add(id);
      const req = byId.get(id);
      if (!REQUIREMENT_ID.test(id)) problems.push(`${at}: METADATA custom.requirements names "${id}", which is not a requirement id (SM-1.2-a)`);
      else if (!req) problems.push(`${at}: METADATA custom.requirements names ${id}, which is not in ${REQUIREMENTS_FILE}`);
      else if (req.disposition === 'out-of-scope') problems.push(`${at}: judges ${id}, which ${REQUIREMENTS_FILE} calls out-of-scope: make it automated or evidenced there, or drop it from the rule`);
      if (req) judgedBy.set(id, [...(judgedBy.get(id) ?? []), rule.id]);
    }
  }
  for (const req of byId.values()) {
    if (req.disposition !== 'automated' && req.disposition !== 'evidenced') continue;
    const ruleIds = judgedBy.get(req.id) ?? [];
    if (ruleIds.length === 0) {
      if (awaiting.has(req.id)) warnings.push(`${req.id} (${req.disposition}): no rule names it yet (awaited: a rule of this session's work)`);
      else problems.push(`${REQUIREMENTS_FILE}: ${req.id} is ${req.disposition} but no rule names it in METADATA custom.requirements (name it in the rule that judges it, or make it out-of-scope with a reason)`);
    } else if (awaiting.has(req.id)) {
      warnings.push(`${req.id}: now judged by ${ruleIds.join(', ')}: remove it from AWAITING_RULES in scripts/requirement-catalog.mjs`);
    }
  }
  for (const id of awaiting) if (!byId.has(id)) problems.push(`scripts/requirement-catalog.mjs: AWAITING_RULES names ${id}, which is not in ${REQUIREMENTS_FILE}`);
  return { problems, warnings };
}

/** Requirement id -> the ids of the rules (under policies/) naming it, sorted. */
export function rulesByRequirement(rules) {
  const out = new Map();
  for (const rule of rules) {
    if (!rule.source_file.startsWith('policies/')) continue;
    for (const id of rule.requirements ?? []) out.set(id, [...(out.get(id) ?? []), rule.id].sort());
  }
  return out;
}

/** "72 requirements: 43 automated, 22 evidenced, 7 out of scope" (the map's coverage line). */
export function coverageLine(requirements) {
  const count = (d) => requirements.filter((r) => r.disposition === d).length;
  return `${requirements.length} requirements: ${count('automated')} automated, ${count('evidenced')} evidenced, ${count('out-of-scope')} out of scope`;
}
