// The rule catalog, read from the rules' `# METADATA` blocks (`opa inspect -a`), and the layout rule
// "a rule id is a path": shared by scripts/build-policies.mjs (which ships the catalog as rules.json
// and fails the build on any problem) and scripts/generate-rule-docs.mjs (the per-rule pages).
//
// Layout (issue 18.7; trivy-checks' checks/cloud/azure/keyvault/ is the model):
//   policies/<folder of the id's family>/<id>_<last segment of the package>.rego
//   policies/<same folder>/<id>_<same name>_test.rego        package <rule package>_test
// Every other .rego file in a family folder is a problem (no grouped or orphan test files).
// The Rego packages keep their names (vaultproof.rules.<package family>.<name>): the catalog's
// `family` field, which the CEF, OCSF and SARIF outputs carry, comes from the package, not the folder.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** The opa binary: $OPA, the checkout's tools/bin/opa, or opa on PATH; undefined when none. */
export function findOpa(root) {
  const candidates = [process.env.OPA, join(root, 'tools', 'bin', 'opa')].filter(Boolean);
  for (const c of candidates) if (existsSync(c)) return c;
  const which = spawnSync('sh', ['-c', 'command -v opa'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  return undefined;
}

/** `opa inspect -a` of one source as JSON; `fail(message)` is called (and must not return) when opa fails. */
export function opaInspect(opa, root, src, fail) {
  const r = spawnSync(opa, ['inspect', '-a', '--format', 'json', src], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) fail(`opa inspect ${src} failed:\n${r.stdout}${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Rule id family code -> folder under policies/. One folder per family; add a family here first. */
export const FAMILY_FOLDERS = Object.freeze({
  ACC: 'access',
  AUD: 'audit',
  AZ: 'azure',
  CFG: 'config',
  CON: 'consumers',
  CRD: 'credentials',
  HCV: 'hashicorp',
  PRC: 'process',
  REP: 'replication',
  REV: 'review',
  ROT: 'rotation',
  SCN: 'scanners',
  WVR: 'waivers',
});

/** Folders under policies/ that hold no rules (standard/: the requirement catalog, scripts/requirement-catalog.mjs). */
const NON_RULE_FOLDERS = new Set(['lib', 'data', 'dist', 'standard']);

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
const REQUIRED_CUSTOM = ['id', 'severity', 'control', 'metric', 'remediation'];

/**
 * Reads the catalog of the rule packages in `sources` (paths relative to `root`).
 * `inspect(src)` runs `opa inspect -a --format json src` and returns its parsed output.
 * Returns { rules, settings, rawRequirements, beyondStandard, problems, namespaces }: rules (the
 * rules.json entries) sorted by id, each with the requirement ids it judges (METADATA
 * custom.requirements, checked against the catalog by scripts/requirement-catalog.mjs); settings,
 * rule id -> the config settings that tune it (METADATA custom.settings, not in rules.json whose
 * shape is a published contract); rawRequirements and beyondStandard, rule id -> METADATA
 * custom.requirements and custom.beyond_standard as written (undefined when absent); problems as
 * "file: what is wrong"; namespaces as opa lists them.
 */
export function readCatalog({ root, sources, inspect }) {
  const inspected = { namespaces: {}, annotations: [] };
  for (const src of sources) {
    const one = inspect(src);
    Object.assign(inspected.namespaces, one.namespaces ?? {});
    inspected.annotations.push(...(one.annotations ?? []));
  }
  const ruleNamespaces = Object.keys(inspected.namespaces).filter((ns) => ns.startsWith('data.vaultproof.rules.') && !ns.endsWith('_test'));
  const byPackage = new Map();
  for (const a of inspected.annotations) {
    if (a.annotations.scope !== 'package') continue;
    const pkg = a.path.slice(1).map((p) => p.value).join('.');
    if (pkg.startsWith('vaultproof.rules.')) byPackage.set(pkg, a);
  }
  const problems = [];
  const rules = [];
  const settings = new Map();
  const rawRequirements = new Map();
  const beyondStandard = new Map();
  const seenIds = new Map();
  for (const ns of ruleNamespaces.sort()) {
    const pkg = ns.slice('data.'.length);
    const a = byPackage.get(pkg);
    const files = inspected.namespaces[ns];
    const file = files[0];
    if (files.length > 1) problems.push(`${files.join(', ')}: package ${pkg} is spread over ${files.length} files (one rule, one file)`);
    if (!a) {
      problems.push(`${file}: package ${pkg} has no package-scoped # METADATA block`);
      continue;
    }
    const { title, description, custom = {} } = a.annotations;
    for (const field of REQUIRED_CUSTOM) {
      if (typeof custom[field] !== 'string' || !custom[field].trim()) problems.push(`${file}: METADATA custom.${field} is missing`);
    }
    if (!title) problems.push(`${file}: METADATA title is missing`);
    if (custom.severity && !SEVERITIES.includes(custom.severity)) problems.push(`${file}: custom.severity must be one of ${SEVERITIES.join(', ')}`);
    if (custom.id && !/^VP-[A-Z]+-\d{3}$/.test(custom.id)) problems.push(`${file}: custom.id "${custom.id}" must look like VP-ABC-123`);
    if (custom.settings !== undefined && !(Array.isArray(custom.settings) && custom.settings.every((s) => typeof s === 'string' && s))) {
      problems.push(`${file}: METADATA custom.settings must be a list of config paths (e.g. thresholds.rotation_days.api-token)`);
    }
    if (seenIds.has(custom.id)) problems.push(`${file}: rule id ${custom.id} also used by ${seenIds.get(custom.id)}`);
    seenIds.set(custom.id, file);
    const lines = readFileSync(resolve(root, file), 'utf8').split('\n');
    const metaLine = lines.findIndex((l) => l.trim() === '# METADATA') + 1;
    rules.push({
      id: custom.id,
      title: title ?? '',
      description: (description ?? '').trim(),
      severity: custom.severity,
      control: custom.control,
      metric: custom.metric,
      remediation: (custom.remediation ?? '').trim(),
      references: custom.references ?? [],
      // The requirement ids of policies/standard/requirements.yaml the rule judges (METADATA custom.requirements).
      requirements: Array.isArray(custom.requirements) ? custom.requirements.map(String) : [],
      family: pkg.split('.')[2],
      package: pkg,
      source_file: file,
      source_line: metaLine > 0 ? metaLine : a.location.row,
    });
    settings.set(custom.id, Array.isArray(custom.settings) ? custom.settings : []);
    rawRequirements.set(custom.id, custom.requirements);
    beyondStandard.set(custom.id, custom.beyond_standard);
  }
  rules.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return { rules, settings, rawRequirements, beyondStandard, problems, namespaces: inspected.namespaces };
}

/** Where a rule's file and its test file must be, from its id and package. */
export function expectedPaths(rule) {
  const code = /^VP-([A-Z]+)-\d{3}$/.exec(rule.id ?? '')?.[1];
  const folder = code ? FAMILY_FOLDERS[code] : undefined;
  if (!folder) return undefined;
  const stem = `policies/${folder}/${rule.id}_${rule.package.split('.').pop()}`;
  return { folder, code, file: `${stem}.rego`, test: `${stem}_test.rego` };
}

/**
 * Problems with "a rule id is a path" for the rules whose files sit under policies/: file and folder
 * named by the METADATA id, a `_test.rego` beside it whose package is the rule's package + `_test`,
 * no other .rego file in a family folder, and every `thresholds.` setting in custom.settings a path
 * of the defaults (a rule that reads `data.config.thresholds.<key>` must list that key). Settings
 * outside `thresholds` (e.g. `review.roster`) are config paths without a default.
 */
export function layoutProblems({ root, rules, settings, namespaces, defaults }) {
  const problems = [];
  const mine = rules.filter((r) => r.source_file.startsWith('policies/'));
  const packageOfFile = new Map();
  for (const [ns, files] of Object.entries(namespaces)) for (const f of files) packageOfFile.set(f, ns.slice('data.'.length));
  const claimed = new Set();
  for (const rule of mine) {
    const want = expectedPaths(rule);
    if (!want) {
      const code = /^VP-([A-Z]+)-/.exec(rule.id ?? '')?.[1] ?? '?';
      problems.push(`${rule.source_file}: rule ${rule.id}: family ${code} has no folder (add it to FAMILY_FOLDERS in scripts/policy-catalog.mjs)`);
      continue;
    }
    claimed.add(want.file).add(want.test);
    if (rule.source_file !== want.file) {
      problems.push(`${rule.source_file}: rule ${rule.id} (package ${rule.package}) must be ${want.file} (folder of family ${want.code}, file named <id>_<package name>)`);
    }
    if (!existsSync(join(root, want.test))) {
      problems.push(`${rule.source_file}: rule ${rule.id} has no test file beside it (${want.test})`);
    } else if (packageOfFile.get(want.test) !== `${rule.package}_test`) {
      problems.push(`${want.test}: package must be ${rule.package}_test (the tests of ${rule.id} only), not ${packageOfFile.get(want.test) ?? 'unreadable'}`);
    }
    const tunedBy = settings.get(rule.id) ?? [];
    for (const setting of tunedBy) {
      if (setting.startsWith('thresholds.') && lookup(defaults, setting) === undefined) {
        problems.push(`${rule.source_file}: METADATA custom.settings names ${setting}, which is not a key of policies/data/defaults.json`);
      }
    }
    const text = readFileSync(join(root, rule.source_file), 'utf8');
    for (const key of new Set([...text.matchAll(/data\.config\.thresholds\.([a-z_]+)/g)].map((m) => m[1]))) {
      const path = `thresholds.${key}`;
      if (!tunedBy.some((s) => s === path || s.startsWith(`${path}.`))) {
        problems.push(`${rule.source_file}: reads data.config.${path} but METADATA custom.settings does not list it`);
      }
    }
  }
  const folders = new Set(Object.values(FAMILY_FOLDERS));
  const policies = join(root, 'policies');
  for (const entry of readdirSync(policies, { withFileTypes: true })) {
    if (!entry.isDirectory() || NON_RULE_FOLDERS.has(entry.name)) continue;
    if (!folders.has(entry.name)) {
      problems.push(`policies/${entry.name}/: not the folder of a rule family (${Object.entries(FAMILY_FOLDERS).map(([c, f]) => `${c} ${f}/`).join(', ')})`);
      continue;
    }
    for (const file of walkRego(join(policies, entry.name))) {
      const rel = relative(root, file);
      if (!claimed.has(rel)) problems.push(`${rel}: neither a rule named <id>_<package name>.rego nor the test file beside one`);
    }
  }
  return problems;
}

function walkRego(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walkRego(join(dir, e.name)) : e.name.endsWith('.rego') ? [join(dir, e.name)] : []);
}

/** The value at a dot-separated path of an object (keys may hold '-'), or undefined. */
export function lookup(obj, path) {
  let v = obj;
  for (const k of path.split('.')) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, k)) return undefined;
    v = v[k];
  }
  return v;
}
