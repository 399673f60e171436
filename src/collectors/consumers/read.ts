/**
 * One consumer entry to its snapshot record: its files resolved and parsed, its kind (configured, or
 * detected from the files' content), and the kind's reader's judgement of what the files say. A file
 * that cannot be read or parsed leaves the consumer with an `error` naming the file and line and an
 * incomplete scope; files of no known kind leave it `unknown`. Nothing is ever a silent pass.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, relative, sep } from 'node:path';
import type { Consumer, ConsumerKind, ConsumerRefresh } from '../../snapshot/types.js';
import type { ConsumerEntry } from './config.js';
import type { KindReader, ParsedFile } from './facts.js';
import { filesOf, PathUnreadable } from './files.js';
import { ConsumerFileError, parseHcl, parseJsonDocument, parseYamlDocuments } from './formats.js';
import { appServiceReader } from './kinds/azure-app-service.js';
import { csiReader } from './kinds/csi-secrets-store.js';
import { dotnetReader } from './kinds/dotnet-keyvault.js';
import { externalSecretsReader } from './kinds/external-secrets.js';
import { springReader } from './kinds/spring-cloud-azure.js';
import { vaultAgentReader, vaultProxyReader } from './kinds/vault-agent.js';

/** The readers in detection order (Proxy before Agent: a Proxy file has Proxy-only stanzas). */
export const READERS: ReadonlyArray<KindReader<unknown>> = [vaultProxyReader, vaultAgentReader, csiReader, externalSecretsReader, appServiceReader, dotnetReader, springReader] as ReadonlyArray<KindReader<unknown>>;
// (The CSI reader takes JSON only for the AKS add-on profile; an App Service or .NET file has none.)

const MAX_FILE_BYTES = 4 * 1024 * 1024;

const FORMAT_OF_KIND: Record<ConsumerKind, ParsedFile['format']> = {
  'vault-agent': 'hcl',
  'vault-proxy': 'hcl',
  'csi-secrets-store': 'yaml',
  'external-secrets': 'yaml',
  'azure-app-service': 'json',
  'dotnet-keyvault': 'json',
  'spring-cloud-azure-keyvault': 'yaml',
};

/** The format by extension; else the kind's; else sniffed from the first characters. */
function formatOf(file: string, text: string, kind: ConsumerKind | undefined): ParsedFile['format'] {
  const ext = extname(file).toLowerCase();
  if (ext === '.hcl') return 'hcl';
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.properties') return 'properties';
  if (kind) return FORMAT_OF_KIND[kind];
  const body = text.replace(/^\uFEFF/, '').replace(/^(\s*(#|\/\/)[^\n]*\n|\s+)*/, '');
  if (body.startsWith('{') || body.startsWith('[')) return 'json';
  if (/^[A-Za-z_][\w-]*(\s+"[^"\n]*")*\s*\{\s*$/m.test(body) && !/^[A-Za-z_][\w-]*:\s/m.test(body)) return 'hcl';
  return 'yaml';
}

function parse(name: string, text: string, format: ParsedFile['format']): ParsedFile {
  switch (format) {
    case 'hcl':
      return { name, format, documents: [parseHcl(text, name)] };
    case 'json':
      return { name, format, documents: [parseJsonDocument(text, name).value] };
    case 'yaml':
      return { name, format, documents: parseYamlDocuments(text, name).map((d) => d.value) };
    case 'properties':
      return { name, format, documents: [], text };
  }
}

async function readOne(path: string, name: string, kind: ConsumerKind | undefined): Promise<ParsedFile> {
  let text: string;
  try {
    const st = await stat(path);
    if (st.size > MAX_FILE_BYTES) throw new ConsumerFileError(name, null, `larger than ${MAX_FILE_BYTES} bytes; expected a configuration file`);
    text = (await readFile(path)).toString('utf8');
  } catch (e) {
    if (e instanceof ConsumerFileError) throw e;
    throw new ConsumerFileError(name, null, `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parse(name, text, formatOf(path, text, kind));
}

const UNJUDGED: ConsumerRefresh = { seconds: null, basis: 'unknown', setting: '', detail: '' };

export interface ConsumerRead {
  consumer: Consumer;
  /** Why the consumer's files could not be read completely (its scope is then incomplete). */
  incomplete?: string;
}

function unjudged(entry: ConsumerEntry, files: string[], kind: ConsumerKind | 'unknown', error: string): Consumer {
  return {
    id: entry.id,
    name: entry.id,
    kind,
    ...(entry.kind ? { kind_source: 'configured' as const } : {}),
    files,
    provider: null,
    vaults: [],
    refresh: { ...UNJUDGED, detail: error },
    fallback: { supported: false, detail: 'not judged' },
    error,
  };
}

const posixRelative = (base: string, p: string): string => relative(base, p).split(sep).join('/');

/** Reads one consumer entry. */
export async function readConsumer(entry: ConsumerEntry, base: string): Promise<ConsumerRead> {
  const paths: string[] = [];
  try {
    for (const p of entry.paths) for (const f of await filesOf(p)) if (!paths.includes(f)) paths.push(f);
  } catch (e) {
    if (!(e instanceof PathUnreadable)) throw e;
    const reason = `${posixRelative(base, e.path)}: ${e.reason}`;
    return { consumer: unjudged(entry, paths.map((p) => posixRelative(base, p)), entry.kind ?? 'unknown', reason), incomplete: reason };
  }
  const names = paths.map((p) => posixRelative(base, p));
  const parsed: ParsedFile[] = [];
  try {
    for (let i = 0; i < paths.length; i++) parsed.push(await readOne(paths[i] as string, names[i] as string, entry.kind));
  } catch (e) {
    if (!(e instanceof ConsumerFileError)) throw e;
    return { consumer: unjudged(entry, names, entry.kind ?? 'unknown', e.message), incomplete: e.message };
  }
  const kinded = entry.kind ? judgeConfigured(entry, parsed) : judgeDetected(parsed);
  if ('error' in kinded) {
    const c = unjudged(entry, names, kinded.kind, kinded.error);
    return kinded.kind === 'unknown' ? { consumer: c } : { consumer: c, incomplete: kinded.error };
  }
  return {
    consumer: {
      id: entry.id,
      name: entry.id,
      kind: kinded.reader.kind,
      kind_source: entry.kind ? 'configured' : 'detected',
      files: names,
      ...kinded.reader.judge(kinded.facts),
    },
  };
}

type Kinded = { reader: KindReader<unknown>; facts: unknown[] } | { kind: ConsumerKind | 'unknown'; error: string };

function judgeConfigured(entry: ConsumerEntry, files: ParsedFile[]): Kinded {
  const reader = READERS.find((r) => r.kind === entry.kind) as KindReader<unknown>;
  const facts: unknown[] = [];
  for (const f of files) {
    const read = reader.read(f, true);
    if (read === null) return { kind: reader.kind, error: `${f.name}: holds no ${reader.kind} configuration (docs/consumers.md lists what each kind is read from)` };
    facts.push(read);
  }
  return { reader, facts };
}

function judgeDetected(files: ParsedFile[]): Kinded {
  const found = files.map((f): { reader: KindReader<unknown>; read: unknown } | { file: string } => {
    for (const r of READERS) {
      const read = r.read(f, false);
      if (read !== null) return { reader: r, read };
    }
    return { file: f.name };
  });
  const none = found.filter((x): x is { file: string } => 'file' in x);
  const kinds = [...new Set(found.flatMap((x) => ('reader' in x ? [x.reader.kind] : [])))];
  if (kinds.length === 0) return { kind: 'unknown', error: `no file is a consumer configuration vaultproof reads (${READERS.map((r) => r.kind).join(', ')}): the consumer's kind is unknown, so it is not judged` };
  if (none.length > 0) return { kind: 'unknown', error: `${none[0]?.file}: not a ${kinds.join('/')} configuration (the consumer's other files are); name the kind with \`kind:\` or leave the file out` };
  if (kinds.length > 1) return { kind: 'unknown', error: `the files are of different kinds (${kinds.join(', ')}); expected one consumer per entry: split it, or name the kind with \`kind:\`` };
  const reader = (found[0] as { reader: KindReader<unknown> }).reader;
  return { reader, facts: found.map((x) => (x as { read: unknown }).read) };
}
