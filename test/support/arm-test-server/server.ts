/**
 * ARM test server (HTTPS, 127.0.0.1), written from the Azure REST API reference: Key Vault vaults
 * (list by subscription / resource group, get), managed HSMs, diagnostic settings
 * (api-version 2021-05-01-preview only, with category groups), role assignments (no filter: at, above
 * and below the scope; `$filter=atScope()`: at and above), role definitions by id and management locks of a
 * resource (`Microsoft.Authorization/locks`, api-version 2016-09-01), a subscription's Defender for Key Vault
 * plan (`Microsoft.Security/pricings/KeyVaults`, api-version 2024-01-01), the audit sinks of diagnostic settings
 * (storage accounts and blob containers at 2023-05-01, Log Analytics workspaces and their tables at 2022-10-01), a Managed HSM's
 * ARM key list (`managedHSMs/{name}/keys`, with keySize); list responses page with
 * `nextLink`. Bearer tokens are checked; denied actions answer 403 AuthorizationFailed naming the action.
 * A plain-HTTP managed-identity (IMDS) token endpoint issues the tokens both test servers accept.
 */
import { createServer as createHttpsServer, type Server } from 'node:https';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { FaultInjector } from '../keyvault-faults/faults.js';
import type { TestPki } from '../keyvault-faults/tls.js';

export interface ArmResource {
  id: string;
  name: string;
  type: string;
  location: string;
  tags?: Record<string, string>;
  properties: Record<string, unknown>;
  sku?: Record<string, unknown>;
}

export interface ArmRoleAssignment {
  id: string;
  name: string;
  type: 'Microsoft.Authorization/roleAssignments';
  properties: { roleDefinitionId: string; principalId: string; principalType: string; scope: string };
}

export interface ArmRoleDefinition {
  id: string;
  name: string;
  type: 'Microsoft.Authorization/roleDefinitions';
  properties: { roleName: string; type: string; description?: string; permissions: Array<{ actions: string[]; notActions: string[]; dataActions: string[]; notDataActions: string[] }>; assignableScopes: string[] };
}

export interface ServedArmRequest {
  method: string;
  path: string;
  apiVersion: string | null;
  status: number;
}

export const DIAG_API = '2021-05-01-preview';
export const LOCKS_API = '2016-09-01';
export const PRICINGS_API = '2024-01-01';
export const STORAGE_API = '2023-05-01';
export const WORKSPACES_API = '2022-10-01';

/** A management lock as ARM returns it (ManagementLockObject). */
export interface ArmLock {
  id: string;
  name: string;
  type: 'Microsoft.Authorization/locks';
  properties: { level: 'CanNotDelete' | 'ReadOnly' | 'NotSpecified'; notes?: string };
}

export class ArmTestServer {
  readonly vaults: ArmResource[] = [];
  readonly managedHsms: ArmResource[] = [];
  readonly diagnosticSettings = new Map<string, unknown[]>();
  readonly roleAssignments: ArmRoleAssignment[] = [];
  readonly roleDefinitions = new Map<string, ArmRoleDefinition>();
  /** Lower-cased resource id → management locks on it. */
  readonly locks = new Map<string, ArmLock[]>();
  /** Lower-cased subscription id → its Microsoft Defender for Key Vault pricing tier (Free when unset, as in Azure). */
  readonly defenderPlans = new Map<string, 'Free' | 'Standard'>();
  /**
   * Lower-cased resource id → the audit sinks a diagnostic setting points at, as ARM returns them: storage accounts
   * (`Microsoft.Storage/storageAccounts/{name}`), their blob containers (`…/blobServices/default/containers/{name}`,
   * both at 2023-05-01) and Log Analytics workspaces (`Microsoft.OperationalInsights/workspaces/{name}`) and their tables
   * (`…/workspaces/{name}/tables/{table}`: retentionInDays, totalRetentionInDays), both at 2022-10-01.
   * Anything not in the map is 404 ResourceNotFound (a container the service has not written to yet).
   */
  readonly sinks = new Map<string, Record<string, unknown>>();
  /** Lower-cased Managed HSM id → its keys as ARM lists them (`managedHSMs/{name}/keys`: properties.kty, keySize, curveName). */
  readonly hsmKeys = new Map<string, unknown[]>();
  /** Path regex → delay (ms) before the request is handled: forces the order in which vaults finish. */
  readonly delays: Array<{ pattern: RegExp; ms: number }> = [];
  /** Path regex → denied action name (answered 403 AuthorizationFailed). */
  readonly denied: Array<{ pattern: RegExp; action: string }> = [];
  readonly log: ServedArmRequest[] = [];
  readonly faults = new FaultInjector();
  readonly tokens = new Set<string>();
  pageSize = 2;
  armUrl = '';
  tokenUrl = '';
  private https?: Server;
  private http?: HttpServer;

  constructor(private readonly pki: TestPki) {}

  async start(): Promise<void> {
    this.https = createHttpsServer({ key: this.pki.key, cert: this.pki.cert }, (req, res) => void this.handle(req, res));
    this.http = createHttpServer((req, res) => this.token(req, res));
    // Node's default (5 s): at 1 s clients never reuse a connection (they drop it 1 s early).
    this.https.keepAliveTimeout = 5000;
    await Promise.all([listen(this.https), listen(this.http)]);
    this.armUrl = `https://127.0.0.1:${(this.https.address() as AddressInfo).port}`;
    this.tokenUrl = `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const s of [this.https, this.http]) {
      if (!s) continue;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    }
  }

  /** Issues a token directly (for a TokenCredential that does not go through identity). */
  issueToken(): string {
    const t = `test-${randomBytes(12).toString('hex')}`;
    this.tokens.add(t);
    return t;
  }

  /** IMDS-shaped managed identity token endpoint: GET /metadata/identity/oauth2/token?resource=… (header Metadata: true). */
  private token(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.tokenUrl);
    if (url.pathname.replace(/\/$/, '') !== '/metadata/identity/oauth2/token' || req.headers.metadata !== 'true') {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_request', error_description: 'Required metadata header not specified' }));
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ access_token: this.issueToken(), expires_in: '3600', expires_on: String(now + 3600), not_before: String(now), resource: url.searchParams.get('resource') ?? '', token_type: 'Bearer' }));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.armUrl);
    const entry: ServedArmRequest = { method: req.method ?? 'GET', path: url.pathname, apiVersion: url.searchParams.get('api-version'), status: 0 };
    this.log.push(entry);
    const send = (status: number, body: unknown) => {
      entry.status = status;
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !this.tokens.has(auth.slice(7))) {
      return send(401, { error: { code: 'AuthenticationFailed', message: 'Authentication failed. The Authorization header is missing or invalid.' } });
    }
    if (await this.faults.intercept(req, res)) {
      entry.status = res.statusCode;
      return;
    }
    const delay = this.delays.find((d) => d.pattern.test(url.pathname));
    if (delay) await new Promise((r) => setTimeout(r, delay.ms));
    if (req.method !== 'GET') return send(405, { error: { code: 'MethodNotAllowed', message: 'read-only test server' } });
    if (!entry.apiVersion) return send(400, { error: { code: 'MissingApiVersionParameter', message: "The api-version query parameter (?api-version=) is required for all requests." } });
    const path = decodeURIComponent(url.pathname);
    const deny = this.denied.find((d) => d.pattern.test(path));
    if (deny) {
      return send(403, { error: { code: 'AuthorizationFailed', message: `The client 'test' does not have authorization to perform action '${deny.action}' over scope '${path}' or the scope is invalid.` } });
    }
    const r = this.route(path, url);
    send(r.status, r.body);
  }

  private paged(items: unknown[], url: URL): { value: unknown[]; nextLink?: string } {
    const skip = Number(url.searchParams.get('$skiptoken') ?? '0');
    const value = items.slice(skip, skip + this.pageSize);
    if (skip + this.pageSize >= items.length) return { value };
    const next = new URL(url.toString());
    next.searchParams.set('$skiptoken', String(skip + this.pageSize));
    return { value, nextLink: next.toString() };
  }

  private route(path: string, url: URL): { status: number; body: unknown } {
    const lower = path.toLowerCase();
    let m: RegExpExecArray | null;
    if ((m = /^\/subscriptions\/([^/]+)(?:\/resourcegroups\/([^/]+))?\/providers\/microsoft\.keyvault\/(vaults|managedhsms)$/.exec(lower))) {
      const [, sub, rg, type] = m;
      const pool = type === 'vaults' ? this.vaults : this.managedHsms;
      const prefix = `/subscriptions/${sub}/${rg ? `resourcegroups/${rg}/` : ''}`;
      return { status: 200, body: this.paged(pool.filter((v) => v.id.toLowerCase().startsWith(prefix)), url) };
    }
    if ((m = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.keyvault\/(?:vaults|managedhsms)\/[^/]+)(\/.*)?$/.exec(lower))) {
      const [, resourceId, rest] = m;
      const res = [...this.vaults, ...this.managedHsms].find((v) => v.id.toLowerCase() === resourceId);
      if (!res) return { status: 404, body: { error: { code: 'ResourceNotFound', message: `The Resource '${resourceId}' was not found.` } } };
      if (!rest) return { status: 200, body: res };
      if (rest === '/providers/microsoft.insights/diagnosticsettings') {
        if (url.searchParams.get('api-version') !== DIAG_API) {
          return { status: 400, body: { error: { code: 'InvalidApiVersion', message: `this test server serves diagnostic settings only at ${DIAG_API}` } } };
        }
        return { status: 200, body: { value: this.diagnosticSettings.get(resourceId as string) ?? [] } };
      }
      if (rest === '/keys' && /\/managedhsms\//.test(resourceId as string)) return { status: 200, body: this.paged(this.hsmKeys.get(resourceId as string) ?? [], url) };
      if (rest === '/providers/microsoft.authorization/roleassignments') return this.assignments(resourceId as string, url);
      if (rest === '/providers/microsoft.authorization/locks') {
        if (url.searchParams.get('api-version') !== LOCKS_API) {
          return { status: 400, body: { error: { code: 'InvalidApiVersionParameter', message: `this test server serves locks only at ${LOCKS_API}` } } };
        }
        return { status: 200, body: this.paged(this.locks.get(resourceId as string) ?? [], url) };
      }
    }
    if ((m = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/(microsoft\.storage\/storageaccounts\/[^/]+(?:\/blobservices\/default\/containers\/[^/]+)?|microsoft\.operationalinsights\/workspaces\/[^/]+(?:\/tables\/[^/]+)?)$/.exec(lower))) {
      const api = (m[1] as string).startsWith('microsoft.storage/') ? STORAGE_API : WORKSPACES_API;
      if (url.searchParams.get('api-version') !== api) {
        return { status: 400, body: { error: { code: 'InvalidApiVersionParameter', message: `this test server serves ${m[1]} only at ${api}` } } };
      }
      const sink = this.sinks.get(lower);
      if (!sink) return { status: 404, body: { error: { code: 'ResourceNotFound', message: `The Resource '${path}' was not found.` } } };
      return { status: 200, body: sink };
    }
    if ((m = /^\/subscriptions\/([^/]+)\/providers\/microsoft\.security\/pricings\/keyvaults$/.exec(lower))) {
      if (url.searchParams.get('api-version') !== PRICINGS_API) {
        return { status: 400, body: { error: { code: 'InvalidApiVersionParameter', message: `this test server serves pricings only at ${PRICINGS_API}` } } };
      }
      const sub = m[1] as string;
      return {
        status: 200,
        body: { id: `/subscriptions/${sub}/providers/Microsoft.Security/pricings/KeyVaults`, name: 'KeyVaults', type: 'Microsoft.Security/pricings', properties: { pricingTier: this.defenderPlans.get(sub) ?? 'Free', subPlan: 'PerTransaction' } },
      };
    }
    if ((m = /^(\/subscriptions\/[^/]+(?:\/resourcegroups\/[^/]+)?)\/providers\/microsoft\.authorization\/roleassignments$/.exec(lower))) {
      return this.assignments(m[1] as string, url);
    }
    if ((m = /\/providers\/microsoft\.authorization\/roledefinitions\/([^/]+)$/.exec(lower))) {
      const def = this.roleDefinitions.get(m[1] as string);
      if (!def) return { status: 404, body: { error: { code: 'RoleDefinitionDoesNotExist', message: 'The specified role definition does not exist.' } } };
      return { status: 200, body: def };
    }
    return { status: 404, body: { error: { code: 'InvalidResourceType', message: `no route for ${path}` } } };
  }

  private assignments(scope: string, url: URL): { status: number; body: unknown } {
    // No filter: at, above and below the scope; `atScope()`: at and above only (the REST reference).
    const filter = url.searchParams.get('$filter');
    if (filter !== null && filter !== 'atScope()') return { status: 400, body: { error: { code: 'UnsupportedQuery', message: 'test server supports no $filter or $filter=atScope() only' } } };
    const atOrAbove = this.roleAssignments.filter((a) => {
      const s = a.properties.scope.toLowerCase();
      return scope === s || scope.startsWith(`${s}/`) || s === '/' || (filter === null && s.startsWith(`${scope}/`));
    });
    return { status: 200, body: this.paged(atOrAbove, url) };
  }
}

function listen(s: Server | HttpServer): Promise<void> {
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve());
  });
}
