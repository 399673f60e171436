/**
 * A local HTTPS collector speaking the Splunk HEC and Azure Logs Ingestion shapes, for the HTTP sink
 * tests. `mode` stages outages: 'up' accepts, 'busy' answers 503 with Retry-After, 'reset' destroys
 * the connection without reading the request, 'reject' answers 400 echoing the Authorization header.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import type { TestPki } from './certs.js';

export type CollectorMode = 'up' | 'busy' | 'reset' | 'reject';

export interface Collector {
  port: number;
  mode: CollectorMode;
  /** Events accepted, in arrival order (HEC: the `event` member; Azure: the record). */
  accepted: { path: string; event: unknown; meta: Record<string, unknown> }[];
  authorizations: string[];
  requests: number;
  close(): Promise<void>;
}

/** Splits a HEC body (concatenated JSON objects, whitespace-separated or not) into objects. */
export function splitConcatenatedJson(body: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0) out.push(JSON.parse(body.slice(start, i + 1)));
    } else if (depth === 0 && !/\s/.test(c!)) throw new Error(`unexpected ${c} at ${i}`);
  }
  if (depth !== 0) throw new Error('truncated body');
  return out;
}

export function startCollector(pki: TestPki, expected: { hecToken: string; bearer: string }): Promise<Collector> {
  const sockets = new Set<Socket>();
  const state = { mode: 'up' as CollectorMode, accepted: [] as Collector['accepted'], authorizations: [] as string[], requests: 0 };
  const server: Server = createServer({ key: readFileSync(pki.serverKey), cert: readFileSync(pki.serverCert) }, (req, res) => {
    state.requests++;
    const auth = req.headers.authorization ?? '';
    state.authorizations.push(auth);
    if (state.mode === 'reset') {
      req.socket.destroy();
      return;
    }
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      const body = Buffer.concat(parts).toString('utf8');
      if (state.mode === 'busy') {
        res.writeHead(503, { 'retry-after': '0', 'content-type': 'application/json' }).end('{"text":"Server is busy","code":9}');
        return;
      }
      if (state.mode === 'reject') {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(`rejected request with authorization ${auth}`);
        return;
      }
      const path = req.url ?? '';
      if (path.startsWith('/services/collector')) {
        if (auth !== `Splunk ${expected.hecToken}`) return void res.writeHead(401).end('{"text":"Invalid authorization","code":3}');
        const objects = splitConcatenatedJson(body) as Record<string, unknown>[];
        for (const o of objects) {
          const { event, ...meta } = o;
          state.accepted.push({ path, event, meta });
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"text":"Success","code":0}');
        return;
      }
      if (/^\/dataCollectionRules\/[^/]+\/streams\/[^/?]+\?api-version=/.test(path)) {
        if (auth !== `Bearer ${expected.bearer}`) return void res.writeHead(401).end('{"error":{"code":"InvalidToken"}}');
        const records = JSON.parse(body) as Record<string, unknown>[];
        if (!Array.isArray(records)) return void res.writeHead(400).end('not an array');
        for (const r of records) state.accepted.push({ path, event: r, meta: {} });
        res.writeHead(204).end();
        return;
      }
      res.writeHead(404).end();
    });
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      const c: Collector = {
        port,
        get mode() {
          return state.mode;
        },
        set mode(m: CollectorMode) {
          state.mode = m;
        },
        get accepted() {
          return state.accepted;
        },
        get authorizations() {
          return state.authorizations;
        },
        get requests() {
          return state.requests;
        },
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      };
      resolve(c);
    });
  });
}
