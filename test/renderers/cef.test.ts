import { renderCef } from '../../src/renderers/cef.js';
import { demoContext, loadDemoFindings } from '../fixtures/siem/fixture.js';

/** A CEF parser written from the format description: 7 header fields split on unescaped '|', then key=value pairs. */
function parseCef(line: string): { header: string[]; ext: Record<string, string> } {
  const header: string[] = [];
  let cur = '';
  let i = 0;
  for (; i < line.length && header.length < 7; i++) {
    const c = line[i]!;
    if (c === '\\' && (line[i + 1] === '|' || line[i + 1] === '\\')) {
      cur += line[++i];
    } else if (c === '|') {
      header.push(cur);
      cur = '';
    } else cur += c;
  }
  const rest = line.slice(i);
  const ext: Record<string, string> = {};
  const re = /(?:^| )([A-Za-z0-9_]+)=((?:\\.|[^\\])*?)(?= [A-Za-z0-9_]+=|$)/g;
  for (const m of rest.matchAll(re)) {
    ext[m[1]!] = m[2]!.replace(/\\(.)/g, (_x, ch: string) => (ch === 'n' ? '\n' : ch === 'r' ? '\r' : ch));
  }
  return { header, ext };
}

describe('CEF renderer', () => {
  const doc = loadDemoFindings();
  const ctx = demoContext();
  const lines = renderCef(doc, ctx).trimEnd().split('\n');

  it('brackets the findings with start and end summary events carrying the batch id and count', () => {
    expect(lines).toHaveLength(doc.findings.length + 2);
    const start = parseCef(lines[0]!);
    const end = parseCef(lines.at(-1)!);
    expect(start.header.slice(0, 5)).toEqual(['CEF:0', 'vaultproof', 'vaultproof', '0.1.0', 'VP-SCAN-START']);
    expect(end.header[4]).toBe('VP-SCAN-END');
    expect(Number(end.ext.cnt)).toBe(doc.findings.length);
    expect(end.ext.cs6).toBe(start.ext.cs6);
    expect(end.ext.outcome).toBe('incomplete');
  });

  it('parses back every finding with its fingerprint, severity and correlation id', () => {
    for (const [i, f] of doc.findings.entries()) {
      const { header, ext } = parseCef(lines[i + 1]!);
      expect(header).toHaveLength(7);
      expect(header[4]).toBe(f.rule_id);
      expect(header[5]).toBe(f.title);
      const sev = f.status === 'pass' ? 1 : { info: 1, low: 3, medium: 5, high: 8, critical: 10 }[f.severity];
      expect(Number(header[6])).toBe(sev);
      expect(ext.externalId).toBe(f.fingerprint);
      expect(ext.outcome).toBe(f.status);
      expect(ext.msg).toBe(f.message);
      expect(ext.cs1).toBe(doc.scan.correlation_id);
      expect(ext.cs2).toBe(f.resource.id);
    }
  });

  it('escapes pipes, backslashes, equals signs and newlines', () => {
    const nasty = loadDemoFindings();
    nasty.findings[0]!.title = 'a|b\\c';
    nasty.findings[0]!.message = 'x=1\nsecond line \\ end';
    const line = renderCef(nasty, ctx).split('\n')[1]!;
    expect(line).not.toMatch(/[\r\n]/);
    const { header, ext } = parseCef(line);
    expect(header[5]).toBe('a|b\\c');
    expect(ext.msg).toBe('x=1\nsecond line \\ end');
  });
});
