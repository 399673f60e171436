/**
 * Benchmark child: processes one Vault audit log with the events collector and prints bytes,
 * wall time and peak RSS (getrusage maxrss of this process) as JSON on stdout.
 *
 *   node --import tsx bench/events-child.ts LOG
 */
import { collectEvents, parseEventsConfig } from '../src/collectors/events/index.js';
import type { Snapshot, Vault } from '../src/snapshot/types.js';
import { BENCH_MOUNTS, BENCH_NOW, BENCH_SECRETS, secretPath } from './events-generate.js';

const log = process.argv[2];
if (!log) throw new Error('usage: events-child.ts LOG');

const objects: Vault['objects'] = {};
for (const mount of BENCH_MOUNTS) {
  for (let i = 0; i < BENCH_SECRETS; i++) {
    const path = `${mount}${secretPath(i)}`;
    const id = `hashicorp-vault:bench:kv:${path}`;
    const created = BENCH_NOW - 40 * 86400;
    objects[id] = { id, kind: 'secret', name: path.split('/').pop() as string, path, enabled: true, created, updated: created, expires: null, not_before: null, tags: {}, content_type: null, current_version: '1', versions: { '1': { created, updated: created, expires: null, not_before: null, enabled: true } } };
  }
}
const mount = (path: string) => ({ path, type: 'kv', kv_version: 2, max_versions: 10, delete_version_after_seconds: 0, cas_required: false, default_lease_ttl: 0, max_lease_ttl: 0 });
const vault: Vault = {
  id: 'hashicorp-vault:bench',
  provider: 'hashicorp-vault',
  name: 'bench',
  address: 'https://bench.internal:8200',
  region: 'local',
  role: 'primary',
  config: { soft_delete: null, soft_delete_retention_days: null, purge_protection: null, permission_model: 'vault-acl', public_network_access: null, network_default_action: null, private_endpoints: null, sku: null },
  audit: { destinations: [] },
  objects,
  hashicorp: { enterprise: false, sealed: false, mounts: Object.fromEntries(BENCH_MOUNTS.map((m) => [m, mount(m)])), policies: {}, auth_roles: {}, key_status: null, root_tokens: [], pki: {} },
};
const vaults: Snapshot['vaults'] = { [vault.id]: vault };

const cfg = parseEventsConfig({ window_days: 31, sources: [{ kind: 'vault-audit', path: log, vault: 'bench' }] }, 'bench/events.yaml');
const t0 = performance.now();
const r = await collectEvents(cfg, { now: BENCH_NOW, deadline: Date.now() + 60 * 60_000 }, vaults);
const ms = performance.now() - t0;
const a = r.events.audit?.[vault.id];
console.log(
  JSON.stringify({
    bytes: r.report[0]?.bytes ?? 0,
    lines: r.report[0]?.records ?? 0,
    malformed: r.report[0]?.malformed_lines ?? 0,
    status: r.report[0]?.status,
    ms,
    max_rss_bytes: process.resourceUsage().maxRSS * 1024,
    privileged: a?.privileged_operations,
    correlated: a?.with_correlation_id,
    denied: a?.denied_requests,
    denied_groups: Object.keys(a?.denied ?? {}).length,
    break_glass_uses: Object.values(r.events.break_glass ?? {}).reduce((n, u) => n + Object.keys(u).length, 0),
  }),
);
