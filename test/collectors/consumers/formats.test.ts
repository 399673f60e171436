import { goDurationSeconds, isoDurationSeconds, springDurationSeconds, timeSpanSeconds } from '../../../src/collectors/consumers/duration.js';
import { ConsumerFileError, parseHcl, parseJsonDocument, parseProperties, parseYamlDocuments } from '../../../src/collectors/consumers/formats.js';

const SECRET = 'CANARY-in-the-broken-file';

function errorOf(f: () => unknown): ConsumerFileError {
  try {
    f();
  } catch (e) {
    if (e instanceof ConsumerFileError) return e;
    throw e;
  }
  throw new Error('expected a ConsumerFileError');
}

describe('durations as each product spells them', () => {
  it.each([
    ['5m', 300],
    ['1h30m', 5400],
    ['90s', 90],
    ['500ms', 0.5],
    ['0', 0],
  ])('Go %s', (text, seconds) => expect(goDurationSeconds(text)).toBe(seconds));

  it('Go: a bare number only where Vault reads seconds; nonsense is null', () => {
    expect(goDurationSeconds('300')).toBeNull();
    expect(goDurationSeconds('300', true)).toBe(300);
    expect(goDurationSeconds(120, true)).toBe(120);
    expect(goDurationSeconds('5 minutes')).toBeNull();
    expect(goDurationSeconds('-5m')).toBeNull();
  });

  it.each([
    ['30m', 1800],
    ['PT4M', 240],
    ['P1DT2H', 93600],
    ['1800000', 1800],
    ['1d', 86400],
  ])('Spring %s', (text, seconds) => expect(springDurationSeconds(text)).toBe(seconds));

  it('ISO-8601 needs a unit after P or T', () => {
    expect(isoDurationSeconds('P')).toBeNull();
    expect(isoDurationSeconds('PT')).toBeNull();
    expect(springDurationSeconds('soon')).toBeNull();
  });

  it.each([
    ['00:05:00', 300],
    ['1.00:00:00', 86400],
    ['00:00:30.5', 30.5],
    ['2', 172800],
  ])('.NET TimeSpan %s', (text, seconds) => expect(timeSpanSeconds(text)).toBe(seconds));

  it('.NET TimeSpan out of range is null', () => expect(timeSpanSeconds('00:75:00')).toBeNull());
});

describe('HCL errors name the line and what was expected, never the content', () => {
  it('an unexpected closing brace', () => {
    const e = errorOf(() => parseHcl(`vault {\n  address = "x"\n}\n}\n`, 'a.hcl'));
    expect(e.message).toBe('a.hcl:4: invalid HCL: unexpected `}`: no block or list is open here');
  });

  it('a string left open', () => {
    const e = errorOf(() => parseHcl(`vault {\n  address = "${SECRET}\n}\n`, 'a.hcl'));
    expect(e.message).toBe('a.hcl:2: invalid HCL: expected a closing " on the same line');
    expect(e.message).not.toContain(SECRET);
  });

  it('a mismatched bracket', () => {
    expect(errorOf(() => parseHcl(`template {\n  x = [1, 2}\n`, 'a.hcl')).message).toBe('a.hcl:2: invalid HCL: expected `]` to close the `[` opened on line 2, found `}`');
  });

  it('heredocs and comments are not mistaken for syntax; a good file parses', () => {
    const doc = parseHcl(`# comment {\n/* block { */\ntemplate {\n  contents = <<EOF\n{ not a block\nEOF\n  destination = "d"\n}\n`, 'a.hcl');
    expect(doc).toEqual({ template: [{ contents: '{ not a block\n', destination: 'd' }] });
  });

  it('a heredoc never closed', () => {
    expect(errorOf(() => parseHcl(`template {\n  contents = <<EOT\nx\n}\n`, 'a.hcl')).message).toBe('a.hcl:2: invalid HCL: expected the heredoc to end with a line `EOT`');
  });
});

describe('YAML, JSON and .properties', () => {
  it('YAML: every document of a multi-document file, empty ones left out; a duplicate key names its line', () => {
    expect(parseYamlDocuments('a: 1\n---\n---\nb: 2\n', 'm.yaml')).toEqual([
      { value: { a: 1 }, line: 1 },
      { value: { b: 2 }, line: 4 },
    ]);
    expect(errorOf(() => parseYamlDocuments(`a: 1\nb: ${SECRET}\na: 2\n`, 'm.yaml')).message).toBe('m.yaml:3: invalid YAML: a key occurs twice in one mapping; expected unique keys');
  });

  it('YAML: a scalar document is not a manifest', () => {
    expect(errorOf(() => parseYamlDocuments('just text\n', 's.yaml')).message).toBe('s.yaml:1: expected a YAML mapping (a manifest or a values file), found a scalar');
  });

  it('JSON: comments and a BOM are accepted (appsettings.json); an error names the line', () => {
    expect(parseJsonDocument('\uFEFF{\n // c\n "a": 1 /* d */\n}', 'j.json').value).toEqual({ a: 1 });
    expect(errorOf(() => parseJsonDocument(`{\n "a": "${SECRET}",\n "a": 2\n}`, 'j.json')).message).toMatch(/^j\.json:3: invalid JSON: /);
  });

  it('.properties: only the keys asked for, continuation lines joined, comments skipped', () => {
    const text = `# c\n! c\nspring.x=1\nother.password=${SECRET}\nspring.y : a\\\n   b\nspring.z 3\n`;
    const out = parseProperties(text, (k) => k.startsWith('spring.'));
    expect(Object.fromEntries(out)).toEqual({ 'spring.x': { value: '1', line: 3 }, 'spring.y': { value: 'ab', line: 5 }, 'spring.z': { value: '3', line: 7 } });
    expect(JSON.stringify(Object.fromEntries(out))).not.toContain(SECRET);
  });
});
