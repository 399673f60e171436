import { encodeRelpFrame, parseRelpResponse, RelpFrameReader } from '../../src/siem/relp-frame.js';

describe('RELP framing', () => {
  it('encodes TXNR SP COMMAND SP DATALEN [SP DATA] LF, with no data part when DATALEN is 0', () => {
    expect(encodeRelpFrame(2, 'syslog', 'héllo').toString('utf8')).toBe('2 syslog 6 héllo\n');
    expect(encodeRelpFrame(9, 'close').toString()).toBe('9 close 0\n');
  });

  it('reads frames split at any byte, and the status and offers of a response', () => {
    const wire = Buffer.from('1 rsp 37 200 OK\nrelp_version=0\ncommands=syslog\n2 rsp 6 200 OK\n3 rsp 0\n0 serverclose 0\n');
    for (let cut = 0; cut <= wire.length; cut++) {
      const r = new RelpFrameReader();
      const frames = [...r.push(wire.subarray(0, cut)), ...r.push(wire.subarray(cut))];
      expect(frames.map((f) => [f.txnr, f.command, f.data.length])).toEqual([[1, 'rsp', 37], [2, 'rsp', 6], [3, 'rsp', 0], [0, 'serverclose', 0]]);
    }
    const open = parseRelpResponse(Buffer.from('200 OK\nrelp_version=0\ncommands=syslog'));
    expect(open).toMatchObject({ code: 200, text: 'OK' });
    expect(open.offers.get('commands')).toBe('syslog');
  });

  it('refuses malformed or oversized server frames', () => {
    expect(() => new RelpFrameReader().push(Buffer.from('HTTP/1.1 400 Bad Request\r\n'))).toThrow(/malformed frame header/);
    expect(() => new RelpFrameReader().push(Buffer.from('1 rsp 6 200 OKX'))).toThrow(/not terminated by LF/);
    expect(() => new RelpFrameReader().push(Buffer.from('1 rsp 999999999 '))).toThrow(/past the/);
    expect(() => parseRelpResponse(Buffer.from('OK'))).toThrow(/malformed response status/);
  });
});
