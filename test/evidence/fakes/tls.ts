/** A throwaway self-signed TLS certificate for 127.0.0.1, minted with openssl for local HTTPS fakes. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function haveOpenssl(): boolean {
  return spawnSync('openssl', ['version']).status === 0;
}

export function selfSignedCert(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vp-tls-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'pipe' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Signs a precomputed digest (what Key Vault's `sign` receives) with openssl pkeyutl. */
export function signDigest(privatePem: string, digest: Buffer, mode: 'ecdsa' | 'rsa-pss'): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'vp-sign-'));
  try {
    const keyFile = join(dir, 'k.pem');
    writeFileSync(keyFile, privatePem, { mode: 0o600 });
    const opts = mode === 'rsa-pss' ? ['-pkeyopt', 'rsa_padding_mode:pss', '-pkeyopt', 'rsa_pss_saltlen:digest', '-pkeyopt', 'digest:sha256'] : [];
    const der = execFileSync('openssl', ['pkeyutl', '-sign', '-inkey', keyFile, ...opts], { input: digest });
    return mode === 'ecdsa' ? derToP1363(der) : der;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } → r || s, 32 bytes each. */
export function derToP1363(der: Buffer): Buffer {
  let off = 2;
  if (der[1]! & 0x80) off = 2 + (der[1]! & 0x7f);
  const int = () => {
    if (der[off] !== 0x02) throw new Error('bad DER signature');
    const len = der[off + 1]!;
    const v = der.subarray(off + 2, off + 2 + len);
    off += 2 + len;
    const trimmed = v[0] === 0 ? v.subarray(1) : v;
    return Buffer.concat([Buffer.alloc(32 - trimmed.length, 0), trimmed]);
  };
  return Buffer.concat([int(), int()]);
}
