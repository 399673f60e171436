/**
 * Issue 19.6: the JSON Schemas published in schemas/ for vaultproof.yaml and the waiver file are the
 * loaders' own schemas (they cannot drift: the committed files must equal what the code composes),
 * every example in examples/*.yaml names its schema and passes both the schema and the loaders, and
 * invalid documents are refused by both.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { run } from '../../src/cli/main.js';
import { PUBLISHED_SCHEMAS, publishedSchemaText } from '../../src/cli/published-schemas.js';
import { parseAzureConfig } from '../../src/collectors/azure-keyvault/index.js';
import { parseConsumersConfig } from '../../src/collectors/consumers/config.js';
import { parseEventsConfig } from '../../src/collectors/events/index.js';
import { parseHashicorpConfig } from '../../src/collectors/hashicorp-vault/index.js';
import { loadConfig } from '../../src/config/load.js';
import { loadBundle } from '../../src/engine/bundle.js';
import { parseWaivers } from '../../src/engine/waivers.js';
import { parseReviewConfig } from '../../src/review/index.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { fakeConsole } from '../support/fake-console.js';
import { requireBuiltBundle } from '../support/prerequisites.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;
const EXAMPLES = join(PACKAGE_ROOT, 'examples');
const SCHEMAS = join(PACKAGE_ROOT, 'schemas');

/** A plain draft-07 validator, as an editor or another tool would use the published file. */
function published(name: keyof typeof PUBLISHED_SCHEMAS): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, PUBLISHED_SCHEMAS[name].file), 'utf8')) as object);
}

let work: string;
beforeAll(() => {
  requireBuiltBundle();
  work = mkdtempSync(join(tmpdir(), 'vp-schemas-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The whole loader path of a vaultproof.yaml: the top level, the threshold checker, then every block's own parser. */
function loadThroughLoaders(file: string): void {
  const cfg = loadConfig(file);
  if (cfg.azure !== undefined) parseAzureConfig(cfg.azure, file);
  if (cfg.hashicorp !== undefined) parseHashicorpConfig(cfg.hashicorp, file, {});
  if (cfg.events !== undefined) parseEventsConfig(cfg.events, file);
  if (cfg.consumers !== undefined) parseConsumersConfig(cfg.consumers, file);
  if (cfg.review !== undefined) parseReviewConfig(cfg.review, file);
}

/** A waiver file through its loader, judged on a day before its earliest expiry (expiries are bounded by the scan's clock). */
function loadWaiverFile(file: string): void {
  const text = readFileSync(file, 'utf8');
  const expiries = [...text.matchAll(/expires:\s*"?(\d{4}-\d{2}-\d{2})/g)].map((m) => Date.parse(`${m[1]}T00:00:00Z`) / 1000);
  const now = Math.min(...expiries, Date.UTC(2027, 0, 1) / 1000) - 30 * 86400;
  parseWaivers(text, file, now, loadBundle().rulesById);
}

describe('published JSON Schemas (schemas/)', () => {
  it.each(Object.keys(PUBLISHED_SCHEMAS) as Array<keyof typeof PUBLISHED_SCHEMAS>)('%s: the committed file is what the loaders validate with (regenerate: vaultproof schema NAME --out schemas/FILE)', async (name) => {
    const committed = readFileSync(join(SCHEMAS, PUBLISHED_SCHEMAS[name].file), 'utf8');
    expect(committed).toBe(publishedSchemaText(name));
    const io = fakeConsole();
    expect(await run(['schema', name], io)).toBe(0);
    expect(io.stdout).toBe(committed);
  });

  const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')).sort();

  it('covers the documented examples', () => {
    expect(examples).toEqual(expect.arrayContaining(['azure.yaml', 'events.yaml', 'vault.yaml', 'waivers.yaml']));
  });

  it.each(examples)('examples/%s names its schema on its first line and passes it and the loaders', (name) => {
    const file = join(EXAMPLES, name);
    const text = readFileSync(file, 'utf8');
    const line = /^# yaml-language-server: \$schema=(\S+)\n/.exec(text);
    expect(line).not.toBeNull();
    const target = join(EXAMPLES, line![1]!);
    const kind = (Object.keys(PUBLISHED_SCHEMAS) as Array<keyof typeof PUBLISHED_SCHEMAS>).find((k) => target === join(SCHEMAS, PUBLISHED_SCHEMAS[k].file));
    expect(kind).toBeDefined();
    const validate = published(kind!);
    expect({ name, valid: validate(parse(text)), errors: validate.errors ?? null }).toEqual({ name, valid: true, errors: null });
    if (kind === 'config') expect(() => loadThroughLoaders(file)).not.toThrow();
    else expect(() => loadWaiverFile(file)).not.toThrow();
  });

  // Documents the schema can judge: each is refused by the published schema and by the loaders.
  const invalidConfigs: Array<[string, string]> = [
    ['wrong version', 'version: 2\n'],
    ['no version', 'thresholds: {}\n'],
    ['unknown top-level key', 'version: 1\nthreshold: {}\n'],
    ['unknown threshold', 'version: 1\nthresholds:\n  rotation_dayz: { api-token: 30 }\n'],
    ['threshold out of bounds', 'version: 1\nthresholds:\n  break_glass_min_approvers: 0\n'],
    ['unknown credential type', 'version: 1\nclassification:\n  - type: password\n    match: { path: "a/**" }\n'],
    ['empty classification match', 'version: 1\nclassification:\n  - type: api-token\n    match: {}\n'],
    ['azure without subscriptions or vaults', 'version: 1\nazure:\n  cloud: public\n'],
    ['azure bad subscription id', 'version: 1\nazure:\n  subscriptions: [not-a-guid]\n'],
    ['azure unknown cloud', 'version: 1\nazure:\n  cloud: mars\n  subscriptions: [00000000-0000-0000-0000-000000000000]\n'],
    ['hashicorp cluster without region', 'version: 1\nhashicorp:\n  - name: east\n    address: https://v:8200\n'],
    ['hashicorp approle without secret id', 'version: 1\nhashicorp:\n  - name: east\n    region: eu\n    auth: { method: approle, role_id_env: R }\n'],
    ['events without sources', 'version: 1\nevents:\n  window_days: 31\n'],
    ['a consumer without paths', 'version: 1\nconsumers:\n  - name: payments\n    kind: vault-agent\n'],
    ['a consumer of an unknown kind', 'version: 1\nconsumers:\n  - paths: [a.hcl]\n    kind: doppler\n'],
    ['review unknown key', 'version: 1\nreview:\n  reviewers: [a]\n'],
    ['deadline not a whole number', 'version: 1\ncollection:\n  deadline_seconds: 1.5\n'],
  ];

  it.each(invalidConfigs)('a config with %s is refused by the schema and by the loaders', (name, text) => {
    const validate = published('config');
    expect({ name, valid: validate(parse(text)) }).toEqual({ name, valid: false });
    const file = join(work, `${name.replace(/\W+/g, '-')}.yaml`);
    writeFileSync(file, text);
    expect(() => loadThroughLoaders(file)).toThrow();
  });

  const validWaiver = { rule: 'VP-ROT-001', resource: 'kv/x', reason: 'Renewal blocked by the CA migration', approved_by: ['a@example.com'], expires: '2026-12-15' };
  const invalidWaivers: Array<[string, object]> = [
    ['no waivers list', { version: 1 }],
    ['a malformed rule id', { version: 1, waivers: [{ ...validWaiver, rule: 'ROT-1' }] }],
    ['a short reason', { version: 1, waivers: [{ ...validWaiver, reason: 'because' }] }],
    ['no approvers', { version: 1, waivers: [{ ...validWaiver, approved_by: [] }] }],
    ['a date that is not YYYY-MM-DD', { version: 1, waivers: [{ ...validWaiver, expires: '15.12.2026' }] }],
    ['an unknown key', { version: 1, waivers: [{ ...validWaiver, owner: 'me' }] }],
    ['an unknown scope', { version: 1, waivers: [{ ...validWaiver, scope: 'everything' }] }],
  ];

  it.each(invalidWaivers)('a waiver file with %s is refused by the schema and by the loader', (name, value) => {
    const validate = published('waivers');
    expect({ name, valid: validate(value) }).toEqual({ name, valid: false });
    expect(() => parseWaivers(JSON.stringify(value), `${name}.yaml`, Date.UTC(2026, 11, 1) / 1000, loadBundle().rulesById)).toThrow();
  });

  it('the valid waiver used above passes both (the invalid ones fail for their defect, not another)', () => {
    const doc = { version: 1, waivers: [validWaiver] };
    expect(published('waivers')(doc)).toBe(true);
    expect(parseWaivers(JSON.stringify(doc), 'w.yaml', Date.UTC(2026, 11, 1) / 1000, loadBundle().rulesById)).toHaveLength(1);
  });
});
