/**
 * Reads one configured source (every file it names) into the shared aggregator or record store,
 * and reports its outcome: complete, or incomplete with the reason (unreadable file, deadline,
 * unknown vault, too many malformed lines). Malformed lines are counted with file and line.
 */
import type { CollectionScope, EventSection, EventSource, Vault } from '../../snapshot/types.js';
import type { CollectContext } from '../types.js';
import type { AuditAggregator } from './aggregate.js';
import { azureEvent, azureVaultOf, vaultEvent, VaultPairer } from './audit-events.js';
import { azureRecordToEntry, parseAzureAuditLine, type AzureAuditEntry } from './azure-auditevent.js';
import { RECORD_SECTIONS, type EventsConfig, type EventSourceConfig } from './config.js';
import { readJsonDocument, readYamlDocument, type DocumentItem } from './documents.js';
import { describeFsError, resolveFiles, SourceUnreadable } from './files.js';
import { readLines, ReadInterrupted } from './lines.js';
import { MalformedTracker } from './malformed.js';
import type { ObjectIndex } from './object-index.js';
import type { LineResult } from './parse-result.js';
import type { RecordStore } from './record-store.js';
import { parseRecordLine, toRecord, type EventRecordIn } from './records.js';
import { parseVaultAuditLine } from './vault-audit.js';

export interface SourceRun {
  source: EventSource;
  scope: CollectionScope;
  malformed: MalformedTracker;
  /** Events or records naming a vault or object the snapshot does not hold. */
  unresolved: number;
  files: string[];
  bytes: number;
}

export interface SourceDeps {
  cfg: EventsConfig;
  ctx: CollectContext;
  index: ObjectIndex;
  audit: AuditAggregator;
  records: RecordStore;
}

export function sectionsOf(src: EventSourceConfig): EventSection[] {
  if (src.kind !== 'records') return ['audit', 'break_glass'];
  const s: EventSection[] = [...(src.sections ?? RECORD_SECTIONS)];
  if (src.covers) s.push('audit');
  return s;
}

function kindOf(src: EventSourceConfig): EventSource['kind'] {
  if (src.kind === 'vault-audit') return 'vault-audit-log';
  if (src.kind === 'azure-auditevent') return 'azure-audit-event';
  const only = src.sections?.length === 1 ? src.sections[0] : undefined;
  if (only === 'rotations') return 'rotation-records';
  if (only === 'break_glass') return 'approval-records';
  if (only === 'access_reviews') return 'access-reviews';
  if (only === 'escalations') return 'cab-escalations';
  return 'other';
}

class Incomplete extends Error {}

export async function runSource(src: EventSourceConfig, deps: SourceDeps): Promise<SourceRun> {
  const { cfg, ctx, index, audit, records } = deps;
  const malformed = new MalformedTracker();
  const run = { malformed, unresolved: 0, files: [] as string[], bytes: 0, read: 0 };
  const problems: string[] = [];

  const onAzure = (r: LineResult<AzureAuditEntry>, file: string, line: number, configured: Vault | undefined) => {
    if (r.kind === 'malformed') return malformed.add(file, line, r.reason);
    if (r.kind !== 'event') return;
    const vault = azureVaultOf(r.value, index, configured);
    if (!vault) return void run.unresolved++;
    audit.ensureVault(vault.id);
    audit.add(azureEvent(r.value, vault, index));
  };
  const onRecord = (r: LineResult<EventRecordIn>, file: string, line: number) => {
    if (r.kind === 'malformed') return malformed.add(file, line, r.reason);
    if (r.kind === 'event' && !records.add(r.value)) run.unresolved++;
  };
  const lineOpts = { maxLineBytes: cfg.max_line_bytes, deadline: ctx.deadline, ...(ctx.signal ? { signal: ctx.signal } : {}) };
  const oversized = (file: string) => (line: number, bytes: number) => malformed.add(file, line, `line of ${bytes} bytes is longer than max_line_bytes (${cfg.max_line_bytes})`);
  const counted = (fn: (text: string, line: number) => void) => (text: string, line: number) => {
    if (text.length > 0) run.read++;
    fn(text, line);
  };

  try {
    const configured = src.vault !== undefined ? index.resolveVault(src.vault) : undefined;
    if (src.vault !== undefined && src.kind !== 'records' && !configured) {
      throw new Incomplete(`vault "${src.vault}" is not in the snapshot (its collection failed, or the name is wrong)`);
    }
    if (configured && src.kind !== 'records') audit.ensureVault(configured.id);
    run.files = await resolveFiles(src.path);
    const pairer = src.kind === 'vault-audit' ? new VaultPairer((e) => audit.add(vaultEvent(e, configured as Vault, index))) : null;
    for (const file of run.files) {
      try {
        if (src.kind !== 'vault-audit' && src.format !== 'json-lines') {
          const items: DocumentItem[] = src.format === 'yaml' ? await readYamlDocument(file) : await readJsonDocument(file);
          run.read += items.length;
          for (const it of items) {
            if (src.kind === 'records') onRecord(toRecord(it.value, it.path), file, it.line);
            else {
              const r = azureRecordToEntry(it.value);
              onAzure(r.kind === 'malformed' ? { kind: 'malformed', reason: `${it.path}: ${r.reason}` } : r, file, it.line, configured);
            }
          }
          continue;
        }
        const handler =
          src.kind === 'vault-audit'
            ? (text: string, line: number) => {
                const r = parseVaultAuditLine(text, cfg.correlation_header);
                if (r.kind === 'malformed') malformed.add(file, line, r.reason);
                else if (r.kind === 'event') (pairer as VaultPairer).push(r.value);
              }
            : src.kind === 'azure-auditevent'
              ? (text: string, line: number) => {
                  for (const r of parseAzureAuditLine(text)) onAzure(r, file, line, configured);
                }
              : (text: string, line: number) => onRecord(parseRecordLine(text), file, line);
        const res = await readLines(file, lineOpts, { line: counted(handler), oversized: oversized(file) });
        run.bytes += res.bytes;
      } catch (e) {
        if (e instanceof ReadInterrupted) throw new Incomplete(e.message);
        if (e instanceof SourceUnreadable) problems.push(e.message);
        else problems.push(`${file}: ${describeFsError(e)}`);
      }
    }
    pairer?.flush();
  } catch (e) {
    if (e instanceof Incomplete) problems.push(e.message);
    else if (e instanceof SourceUnreadable) problems.push(e.message);
    else throw e;
  }
  if (cfg.max_malformed_lines !== null && malformed.count > cfg.max_malformed_lines) {
    problems.push(`${malformed.count} malformed line(s), more than max_malformed_lines (${cfg.max_malformed_lines})`);
  }
  const reason = problems.length > 0 ? problems.slice(0, 3).join('; ') + (problems.length > 3 ? `; and ${problems.length - 3} more` : '') : undefined;
  const status = reason ? 'incomplete' : 'complete';
  const source: EventSource = {
    id: src.id,
    kind: kindOf(src),
    status,
    ...(reason ? { reason } : {}),
    sections: sectionsOf(src),
    records: run.read,
    ...(malformed.count > 0 ? { malformed_lines: malformed.count, malformed: malformed.first } : {}),
  };
  return {
    source,
    scope: { provider: 'events', scope: src.id, status, ...(reason ? { reason } : {}) },
    malformed,
    unresolved: run.unresolved,
    files: run.files,
    bytes: run.bytes,
  };
}
