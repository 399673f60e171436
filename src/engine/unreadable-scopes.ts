/**
 * "An unreadable scope is `error` everywhere" (issue 15, property 2): which vaults, replication
 * pairs and fleet-level resources an incomplete collection scope concerns, so that no rule reports
 * `pass` for something judged on data that could not be read. The vault shards and the fleet input
 * carry the resulting reasons (shards.ts) and policies/main.rego turns each `pass` they concern
 * into `error` naming the scope and its reason; a `fail` stays a fail (what was seen fails).
 *
 * Scope ids, as the collectors record them (the mapping is explicit and tested shape by shape in
 * test/engine/unreadable-scopes.test.ts):
 * - HashiCorp Vault: `<vaultId>#<part>` with vaultId `hashicorp-vault:<cluster>[/<namespace>]`.
 *   Cluster-wide parts (`login`, `seal-status`, `key-status`, `audit`, `replication`) concern the
 *   cluster's vault and every namespace vault of it; `namespaces` (discovery) means vaults may be
 *   missing; every other part (`mounts`, `kv:<mount>`, `kv-config:<mount>`, `policies`, `grants`,
 *   `identity-entities`, `identity-groups`, `auth`, `auth-roles:<mount>`, `root-tokens`,
 *   `pki:<mount>`, `transit:<mount>`, `collection`) concerns that vault.
 * - Azure Key Vault: the vault's ARM id, or the id + `/secrets`, `/keys`, `/certificates`,
 *   `/deleted`, `/diagnosticSettings`, `/roleAssignments`, `/config`; `/subscriptions/<id>` and
 *   `/subscriptions/<id>/managedHSMs` (discovery: vaults may be missing).
 * - `replication:<primary>-><secondary>`: the pair (one side was not collected).
 * - `shard K/N` (merge --allow-gaps): a whole shard of vaults is missing.
 * - provider `events`: event sources; the rules read their completeness themselves
 *   (policies/lib/events.rego), so nothing here.
 * - provider `consumers`, `consumer:<id>`: that consumer (its findings' resource id is the scope id);
 *   its record carries the error too, which its rules report.
 * - provider `secret-scans` (`secret-scan:<id>`): the entry and its reports carry their status and
 *   VP-SCN-001 reports error for them, so nothing here.
 * - `graph:principal/<id>` (Azure, Microsoft Graph): that principal's type, credentials or groups;
 *   `graph:members/<group>` and `graph:principals`: every Azure principal's access (members unknown).
 * - `rule:<id>`: a rule that could not be evaluated (the engine's own record; its findings are errors).
 * - Anything else concerns every vault and counts as a discovery gap: an unknown scope fails closed.
 */
import type { CollectionScope, Grant, Principal, ReplicationPair, ScopeProvider } from '../snapshot/types.js';

/** What one incomplete scope concerns. */
export interface ScopeConcern {
  /** Vaults whose judgements rest on the scope. */
  vaults: string[];
  /** Vaults whose access facts (grants, policies, identities) rest on it: every principal of the provider may miss grants. */
  accessOf: string[];
  /** The replication pair (primary, secondary) the scope is about. */
  pair?: { primary: string; secondary: string };
  /** Vaults may be missing from the snapshot altogether (discovery failed). */
  discovery: boolean;
  /** Principals whose own facts (type, credentials, groups) could not be read (Microsoft Graph). */
  principals?: string[];
  /** Fleet-level resources (by finding resource id) judged from the scope alone: a consumer (`consumer:<id>`). */
  resources?: string[];
}

const CLUSTER_WIDE = new Set(['login', 'seal-status', 'key-status', 'audit', 'replication']);
const VAULT_ACCESS_PARTS = /^(login|collection|policies|grants|identity-entities|identity-groups|auth|auth-roles:.*)$/;
const AZURE_ACCESS_SUFFIXES = new Set(['roleAssignments', 'config']);
const NOTHING: ScopeConcern = { vaults: [], accessOf: [], discovery: false };

/** The vaults, pair or discovery gap an incomplete scope concerns, given every vault id of the snapshot. */
export function scopeConcern(s: Pick<CollectionScope, 'provider' | 'scope'>, vaultIds: readonly string[]): ScopeConcern {
  const id = s.scope;
  if (s.provider === 'consumers') return { ...NOTHING, resources: [id] };
  if (s.provider === 'events' || s.provider === 'secret-scans' || id.startsWith('rule:')) return NOTHING;
  if (id.startsWith('replication:') && id.includes('->')) {
    const body = id.slice('replication:'.length);
    const at = body.indexOf('->');
    return { ...NOTHING, pair: { primary: body.slice(0, at), secondary: body.slice(at + 2) } };
  }
  if (/^shard \d+\/\d+$/.test(id)) return { ...NOTHING, discovery: true };
  // Microsoft Graph (Azure principals): one principal unreadable concerns that principal; a group's
  // members, or Graph as a whole, concern every Azure principal's access (who holds what is unknown).
  if (id.startsWith('graph:principal/')) return { ...NOTHING, principals: [id.slice('graph:principal/'.length)] };
  if (id.startsWith('graph:')) return { ...NOTHING, accessOf: vaultIds.filter((v) => v.startsWith('/subscriptions/')) };
  const hash = id.indexOf('#');
  if (hash > 0) {
    const base = id.slice(0, hash);
    const part = id.slice(hash + 1);
    if (part === 'namespaces') return { ...NOTHING, discovery: true };
    const vaults = CLUSTER_WIDE.has(part) ? vaultIds.filter((v) => v === base || v.startsWith(`${base}/`)) : [base];
    if (!vaults.includes(base)) vaults.unshift(base);
    return { vaults, accessOf: VAULT_ACCESS_PARTS.test(part) || part === 'login' ? vaults : [], discovery: false };
  }
  const lower = id.toLowerCase();
  const vault = vaultIds.find((v) => lower === v.toLowerCase() || lower.startsWith(`${v.toLowerCase()}/`));
  if (vault !== undefined) {
    const suffix = id.slice(vault.length + 1);
    return { vaults: [vault], accessOf: suffix === '' || AZURE_ACCESS_SUFFIXES.has(suffix) ? [vault] : [], discovery: false };
  }
  const subscription = /^\/subscriptions\/[^/]+(\/managedHSMs)?$/i.exec(id);
  if (subscription) {
    const prefix = `${id.replace(/\/managedHSMs$/i, '').toLowerCase()}/`;
    const vaults = vaultIds.filter((v) => v.toLowerCase().startsWith(prefix));
    return { vaults, accessOf: vaults, discovery: true };
  }
  // Unknown shape: fail closed.
  return { vaults: [...vaultIds], accessOf: [...vaultIds], discovery: true };
}

/** One line per scope: `scope <id> could not be read (<reason>)`. */
function describe(s: CollectionScope): string {
  return `scope ${s.scope} could not be read (${s.reason ?? 'no reason recorded'})`;
}

/** The first reason, and how many more there are. */
function summarise(reasons: readonly string[]): string {
  return reasons.length === 1 ? (reasons[0] as string) : `${reasons[0]}, and ${reasons.length - 1} more incomplete scope(s)`;
}

function add(map: Map<string, string[]>, key: string, reason: string): void {
  const list = map.get(key);
  if (!list) map.set(key, [reason]);
  else if (!list.includes(reason)) list.push(reason);
}

/** The incomplete scopes of a snapshot, indexed by what they concern. */
export class UnreadableScopes {
  private readonly byVault = new Map<string, string[]>();
  private readonly accessByProvider = new Map<ScopeProvider, string[]>();
  private readonly pairs = new Map<string, string[]>();
  private readonly discovery: string[] = [];
  private readonly byPrincipal = new Map<string, string[]>();
  private readonly byResource = new Map<string, string[]>();

  constructor(scopes: readonly CollectionScope[], vaultIds: readonly string[]) {
    const incomplete = scopes.filter((s) => s.status === 'incomplete');
    // An Azure vault's own scope is incomplete whenever one of its parts is: the part says what is
    // missing, so the vault's scope speaks for its access facts only when no part explains it.
    const explained = (id: string) => incomplete.some((o) => o.scope.toLowerCase().startsWith(`${id.toLowerCase()}/`));
    for (const s of incomplete) {
      const concern = scopeConcern(s, vaultIds);
      const reason = describe(s);
      for (const v of concern.vaults) add(this.byVault, v, reason);
      const access = concern.accessOf.filter((v) => !(s.provider === 'azure-keyvault' && s.scope.toLowerCase() === v.toLowerCase() && explained(v)));
      if (access.length > 0) add(this.accessByProvider, s.provider, reason);
      if (concern.pair) add(this.pairs, `${concern.pair.primary}\u0000${concern.pair.secondary}`, reason);
      for (const p of concern.principals ?? []) add(this.byPrincipal, p, reason);
      for (const r of concern.resources ?? []) add(this.byResource, r, reason);
      if (concern.discovery) {
        if (!this.discovery.includes(reason)) this.discovery.push(reason);
        add(this.accessByProvider, s.provider, reason);
      }
    }
  }

  get empty(): boolean {
    return this.byVault.size === 0 && this.pairs.size === 0 && this.discovery.length === 0 && this.accessByProvider.size === 0 && this.byPrincipal.size === 0 && this.byResource.size === 0;
  }

  /** Why the findings of a vault's shard cannot pass, or null when every scope of it was read. */
  vault(id: string): string | null {
    const r = this.byVault.get(id);
    return r ? summarise(r) : null;
  }

  /**
   * Fleet-level resource id -> why it cannot pass: a principal whose grants (its own or its
   * groups') reach a vault with an incomplete scope, or of a provider whose access facts are
   * incomplete somewhere (its grants there may be missing); a region with such a vault, or any
   * region when discovery failed; a replication pair with either side incomplete; a vault.
   */
  fleet(facts: {
    vaults: Record<string, { region: string }>;
    principals: Record<string, Principal>;
    grants: Record<string, Grant>;
    replication: Record<string, ReplicationPair>;
    /** The regions the fleet must cover (a region no vault was seen in still has a finding). */
    regions?: readonly string[];
  }): Record<string, string> {
    const out: Record<string, string> = {};
    if (this.empty) return out;
    for (const [v, reasons] of this.byVault) out[v] = summarise(reasons);
    for (const [r, reasons] of this.byResource) out[r] = summarise(reasons);
    const vaultsOf = new Map<string, Set<string>>();
    for (const g of Object.values(facts.grants)) {
      const set = vaultsOf.get(g.principal) ?? new Set<string>();
      set.add(g.vault);
      vaultsOf.set(g.principal, set);
    }
    for (const p of Object.values(facts.principals)) {
      const reasons: string[] = [];
      for (const who of [p.id, ...(p.member_of ?? [])]) for (const v of vaultsOf.get(who) ?? []) for (const r of this.byVault.get(v) ?? []) if (!reasons.includes(r)) reasons.push(r);
      for (const r of this.accessByProvider.get(p.provider) ?? []) if (!reasons.includes(r)) reasons.push(r);
      for (const r of this.byPrincipal.get(p.id) ?? []) if (!reasons.includes(r)) reasons.push(r);
      if (reasons.length > 0) out[p.id] = summarise(reasons);
    }
    const regions = new Map<string, string[]>();
    for (const [id, v] of Object.entries(facts.vaults)) for (const r of this.byVault.get(id) ?? []) add(regions, v.region, r);
    const allRegions = new Set([...Object.values(facts.vaults).map((v) => v.region), ...(facts.regions ?? [])]);
    for (const region of allRegions) for (const r of this.discovery) add(regions, region, r);
    for (const [region, reasons] of regions) out[`region:${region}`] = summarise(reasons);
    for (const p of Object.values(facts.replication)) {
      const reasons = [...(this.byVault.get(p.primary) ?? []), ...(this.byVault.get(p.secondary) ?? []), ...(this.pairs.get(`${p.primary}\u0000${p.secondary}`) ?? [])];
      if (reasons.length > 0) out[p.id] = summarise([...new Set(reasons)]);
    }
    return out;
  }

  /** Why region findings cannot pass when discovery failed (regions no vault was seen in included). */
  discoveryReason(): string | null {
    return this.discovery.length > 0 ? summarise(this.discovery) : null;
  }
}
