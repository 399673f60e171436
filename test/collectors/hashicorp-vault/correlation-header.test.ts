/** The scan's correlation id travels on every Vault request, so Vault's audit log can tie its entries to the scan. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTransport } from '../../../src/collectors/hashicorp-vault/transport.js';

describe('Vault transport headers', () => {
  it('sends the configured x-correlation-id on every request, alongside the request\'s own headers', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      res.setHeader('content-type', 'application/json');
      res.end('{"data":{}}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const transport = createTransport({ maxSockets: 2, headers: { 'x-correlation-id': 'chg-4711' } });
    try {
      for (const path of ['/v1/sys/mounts', '/v1/secret/metadata/app?list=true']) {
        await transport.request({ method: 'GET', uri: `http://127.0.0.1:${port}${path}`, headers: { 'x-vault-token': 'hvs.test' }, json: undefined } as never);
      }
    } finally {
      transport.close();
      server.close();
    }
    expect(seen).toHaveLength(2);
    for (const h of seen) {
      expect(h['x-correlation-id']).toBe('chg-4711');
      expect(h['x-vault-token']).toBe('hvs.test');
    }
  });
});
