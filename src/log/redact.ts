/**
 * Redaction at the logger: whatever a caller passes, credentials never reach a log line.
 *   - by key: authorization headers, tokens, client secrets, passwords, certificate and key material,
 *     signatures, SAS tokens, connection strings, secret values (`value`) are replaced whole;
 *   - by shape, inside any string: bearer/basic credentials, JWTs, Vault tokens, PEM blocks, the
 *     secret-bearing query parameters of signed URLs (sig, X-Amz-Signature, token, client_secret …)
 *     and `"password": "…"`-style JSON fragments;
 *   - by value: literal secrets registered with `addSecret` (e.g. the token read from the
 *     environment) wherever they appear.
 */

export const REDACTED = '[REDACTED]';

const SENSITIVE_KEYS = new Set(
  [
    'authorization', 'proxyauthorization', 'cookie', 'setcookie', 'xvaulttoken', 'xvaultwraptoken',
    'token', 'accesstoken', 'refreshtoken', 'idtoken', 'clienttoken', 'bearertoken', 'sastoken', 'wraptoken',
    'clientsecret', 'secret', 'secretid', 'secretvalue', 'password', 'passwd', 'pwd', 'passphrase',
    'privatekey', 'privatekeypem', 'certificatepem', 'certificatedata', 'certificatematerial', 'cer', 'x5c', 'pem', 'pfx', 'p12',
    'jwt', 'assertion', 'clientassertion', 'sig', 'signature', 'apikey', 'sas', 'connectionstring', 'credentials', 'value',
  ],
);

/** `client_secret`, `X-Vault-Token`, `privateKeyPem` → `clientsecret`, `xvaulttoken`, `privatekeypem`. */
function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEYS.has(normaliseKey(key));
}

const QUERY_SECRET_PARAMS = [
  'sig', 'signature', 'x-amz-signature', 'x-amz-credential', 'x-amz-security-token', 'x-goog-signature', 'x-goog-credential',
  'token', 'access_token', 'id_token', 'refresh_token', 'code', 'client_secret', 'client_assertion', 'secret_id', 'password', 'api_key', 'apikey', 'skoid', 'sktid',
];
const QUERY_PARAM = new RegExp(`((?:^|[?&;\\s])(?:${QUERY_SECRET_PARAMS.map((p) => p.replace(/[-]/g, '\\-')).join('|')})=)[^&#\\s"'<>]*`, 'gi');
const JSON_SECRET_FIELD = /("(?:password|passwd|client_secret|clientSecret|secret|secret_id|token|access_token|refresh_token|client_token|value|private_key|privateKey)"\s*:\s*")(?:[^"\\]|\\.)*"/g;

const SHAPES: Array<[RegExp, string]> = [
  [/-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g, '[REDACTED:pem]'],
  [/\b(Bearer|Basic|Negotiate|PoP)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, '[REDACTED:jwt]'],
  [/\bhv[sbr]\.[A-Za-z0-9_-]{16,}/g, '[REDACTED:vault-token]'],
  [/\b[sbr]\.[A-Za-z0-9]{24}\b/g, '[REDACTED:vault-token]'],
  [QUERY_PARAM, `$1${REDACTED}`],
];

export class Redactor {
  private readonly literals = new Set<string>();

  /** Registers a literal secret (at least 6 characters) to be scrubbed from every string. */
  addSecret(value: string | undefined): void {
    if (typeof value === 'string' && value.trim().length >= 6) this.literals.add(value.trim());
  }

  /** Scrubs one string. */
  text(s: string): string {
    let out = s;
    for (const lit of this.literals) if (out.includes(lit)) out = out.split(lit).join(REDACTED);
    for (const [re, repl] of SHAPES) out = out.replace(re, repl);
    out = out.replace(JSON_SECRET_FIELD, `$1${REDACTED}"`);
    return out;
  }

  /** Deep copy of `value` with sensitive keys replaced and every string scrubbed. */
  value(value: unknown, depth = 0): unknown {
    if (depth > 8) return '[truncated]';
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object') return value;
    if (value instanceof Error) return this.error(value, false);
    if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `[binary ${value.byteLength} bytes]`;
    if (Array.isArray(value)) return value.slice(0, 200).map((v) => this.value(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = isSensitiveKey(k) && v !== null && v !== undefined && v !== '' ? REDACTED : this.value(v, depth + 1);
    }
    return out;
  }

  /** An error as loggable fields: name, code, message (scrubbed) and, on request, the stack (scrubbed). */
  error(e: Error, withStack: boolean): Record<string, unknown> {
    const code = (e as { code?: unknown }).code;
    return {
      name: e.name,
      ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
      message: this.text(e.message),
      ...(withStack && e.stack ? { stack: this.text(e.stack) } : {}),
    };
  }
}
