/**
 * The identity statement of a pack: which identity scanned each provider, what it was allowed to see
 * (Vault: its policies; Azure: the role assignments and access policies of its object id among the
 * collected grants), how many scopes stayed incomplete, and the request ledger's count of calls.
 */
import type { FindingsDocument } from '../findings/types.js';
import type { ScanIdentity, Snapshot } from '../snapshot/types.js';

export interface IdentityRow {
  provider: string;
  endpoint: string;
  who: string;
  details: string;
  reach: string;
  incomplete: string;
  sentence: string;
}

export interface LedgerSummary {
  calls: number;
  valueReads: number;
  unclassified: number;
}

function who(i: ScanIdentity): string {
  return i.display_name ?? i.user_principal_name ?? i.application_id ?? i.id;
}

function details(i: ScanIdentity): string {
  const parts: string[] = [];
  if (i.tenant_id) parts.push(`tenant ${i.tenant_id}`);
  if (i.application_id) parts.push(`application ${i.application_id}`);
  if (i.object_id) parts.push(`object ${i.object_id}`);
  if (i.token_accessor_sha256) parts.push(`token accessor ${i.token_accessor_sha256}`);
  if (i.credential) parts.push(`credential ${i.credential}`);
  if (i.source === 'configuration') parts.push('from the configuration only (the token carried no claims)');
  return parts.join(', ') || i.id;
}

function reach(i: ScanIdentity, snapshot: Pick<Snapshot, 'grants'>, nameOf: (vaultId: string) => string | undefined): string {
  if (i.provider === 'hashicorp-vault') return i.policies && i.policies.length ? `policies ${i.policies.join(', ')}` : 'no policies reported';
  const oid = i.object_id?.toLowerCase();
  if (!oid) return 'grants unknown (no object id)';
  const grants = Object.values(snapshot.grants).filter((g) => g.principal.toLowerCase() === oid);
  if (grants.length === 0) return 'no role assignment or access policy of this identity among the collected grants';
  const held = [...new Set(grants.map((g) => `${g.role ?? g.capabilities.join('/')} on ${nameOf(g.vault) ?? g.vault}`))].sort();
  return held.join('; ');
}

/** `snapshot`: its identities and grants (the snapshot's head); `nameOf` names a vault by id (undefined: not in the snapshot). */
export function identityRows(doc: Pick<FindingsDocument, 'scan'>, snapshot: Pick<Snapshot, 'identities' | 'grants'>, nameOf: (vaultId: string) => string | undefined): IdentityRow[] {
  return (snapshot.identities ?? [])
    .filter((i) => i.provider !== 'events')
    .map((i) => {
      const scopes = doc.scan.scopes.filter((s) => s.provider === i.provider);
      const open = scopes.filter((s) => s.status === 'incomplete').length;
      const row = { provider: i.provider, endpoint: i.endpoint, who: who(i), details: details(i), reach: reach(i, snapshot, nameOf), incomplete: `${open} of ${scopes.length} scope(s) incomplete` };
      return { ...row, sentence: `Scanned by ${row.who} (${row.details}) with ${row.reach}; ${row.incomplete}.` };
    });
}

export function ledgerSentence(ledger: LedgerSummary | undefined): string {
  if (!ledger) return 'No request ledger: the snapshot was not collected by this scan (demo, imported or merged snapshot).';
  return `Request ledger (ledger.jsonl): ${ledger.calls} call(s), ${ledger.valueReads} value-reading, ${ledger.unclassified} unclassified. \`vaultproof verify\` re-checks every call.`;
}
