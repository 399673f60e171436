import { parseSinkSpec, SinkSpecError } from '../../src/siem/index.js';

describe('parseSinkSpec', () => {
  it('parses each sink kind', () => {
    expect(parseSinkSpec('file:out/findings.ocsf.jsonl')).toMatchObject({ kind: 'file', path: 'out/findings.ocsf.jsonl', format: 'ocsf', batchSize: 500 });
    expect(parseSinkSpec('file:/var/log/vp.cef?format=cef')).toMatchObject({ kind: 'file', path: '/var/log/vp.cef', format: 'cef' });
    expect(parseSinkSpec('syslog+tcp://127.0.0.1:6514?unconfirmed=1&batch=50&facility=4')).toMatchObject({ kind: 'syslog-tcp', host: '127.0.0.1', port: 6514, batchSize: 50, facility: 4, appName: 'vaultproof' });
    expect(parseSinkSpec('syslog+tls://siem.example.com:6514?unconfirmed=1&ca=/etc/ssl/siem-ca.pem&format=cef')).toMatchObject({
      kind: 'syslog-tls',
      host: 'siem.example.com',
      format: 'cef',
      tls: { caFile: '/etc/ssl/siem-ca.pem' },
    });
    const hec = parseSinkSpec('splunk-hec+https://splunk.example.com:8088/services/collector/event?token_env=HEC_TOKEN&index=vault');
    expect(hec).toMatchObject({ kind: 'splunk-hec', url: 'https://splunk.example.com:8088/services/collector/event', tokenEnv: 'HEC_TOKEN', index: 'vault' });
    const az = parseSinkSpec('azure-logs+https://dce-1.westeurope-1.ingest.monitor.azure.com/dataCollectionRules/dcr-abc/streams/Custom-Vp?auth=azure-identity');
    expect(az).toMatchObject({ kind: 'azure-logs', azureIdentity: true, url: 'https://dce-1.westeurope-1.ingest.monitor.azure.com/dataCollectionRules/dcr-abc/streams/Custom-Vp?api-version=2023-01-01' });
  });

  it('parses RELP, over TCP and over TLS with a client certificate', () => {
    expect(parseSinkSpec('syslog+relp://127.0.0.1:2514?batch=50')).toMatchObject({ kind: 'syslog-relp', host: '127.0.0.1', port: 2514, batchSize: 50 });
    expect(parseSinkSpec('syslog+relp://127.0.0.1:2514')).not.toHaveProperty('tls');
    expect(parseSinkSpec('syslog+relp://siem:2515?tls=1&ca=/ca.pem&cert=/c.pem&key=/k.pem')).toMatchObject({ kind: 'syslog-relp', tls: { caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem' } });
  });

  it('gives a different spool identity per destination and format', () => {
    const a = parseSinkSpec('syslog+relp://127.0.0.1:514');
    const b = parseSinkSpec('syslog+relp://127.0.0.1:515');
    const c = parseSinkSpec('syslog+relp://127.0.0.1:514?format=cef');
    expect(new Set([a.identity, b.identity, c.identity]).size).toBe(3);
    expect(parseSinkSpec('syslog+relp://127.0.0.1:514?batch=3').identity).toBe(a.identity);
  });

  it.each([
    ['ftp://x', /expected one of file:PATH/],
    ['syslog+tcp://127.0.0.1', /explicit port/],
    ['syslog+tcp://127.0.0.1:514?unconfirmed=1&bogus=1', /unknown parameter "bogus"/],
    ['syslog+tcp://127.0.0.1:514?unconfirmed=1&format=leef', /format must be "ocsf" or "cef"/],
    ['syslog+tcp://127.0.0.1:514?unconfirmed=1&batch=0', /batch must be an integer from 1/],
    ['syslog+tls://h:1?unconfirmed=1&cert=/c.pem', /cert and key go together/],
    ['syslog+relp://h:1?ca=/ca.pem', /add tls=1 for RELP over TLS/],
    ['syslog+relp://h:1?tls=yes', /tls must be 1 or true/],
    ['syslog+relp://h:1?unconfirmed=1', /unknown parameter "unconfirmed"/],
    ['splunk-hec+https://h:8088/services/collector', /token_env=NAME/],
    ['splunk-hec+https://h:8088/services/collector/raw?token_env=T', /raw endpoint/],
    ['splunk-hec+https://h:8088/other?token_env=T', /HEC path/],
    ['splunk-hec+http://h:8088/services/collector?token_env=T', /expected one of|must use https/],
    ['azure-logs+https://dce/streams/x?token_env=T', /dataCollectionRules/],
    ['azure-logs+https://dce/dataCollectionRules/d/streams/s', /token_env=NAME .* or auth=azure-identity/],
    ['file:', /expected file:PATH/],
  ])('refuses %s with a clear message', (spec, message) => {
    expect(() => parseSinkSpec(spec)).toThrow(SinkSpecError);
    expect(() => parseSinkSpec(spec)).toThrow(message);
  });

  it('refuses secrets in the spec without echoing them', () => {
    const secret = 'hunter2-canary-secret';
    for (const spec of [
      `splunk-hec+https://h:8088/services/collector?token=${secret}`,
      `splunk-hec+https://user:${secret}@h:8088/services/collector?token_env=T`,
      `azure-logs+https://dce/dataCollectionRules/d/streams/s?client_secret=${secret}`,
    ]) {
      let message = '';
      try {
        parseSinkSpec(spec);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/--siem-sink/);
      expect(message).not.toContain(secret);
    }
  });
});
