/**
 * How a request URL is written to the ledger: the origin as `endpoint`, and the path with its query,
 * where only a few parameters that carry no secret keep their value (api-version, list, paging sizes,
 * OData filters); every other value (paging tokens, signatures, SAS parameters, anything unknown)
 * becomes `[REDACTED]`, so a signed URL or a token in a query never reaches the ledger.
 */

const KEPT = new Set(['api-version', 'list', 'maxresults', '$top', '$filter', 'version', 'help']);
export const QUERY_REDACTED = '[REDACTED]';

export function splitUrl(raw: string): { endpoint: string; path: string } {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return { endpoint: '<unparseable url>', path: '' };
  }
  const parts: string[] = [];
  for (const [k, v] of u.searchParams) parts.push(`${encodeURIComponent(k)}=${KEPT.has(k.toLowerCase()) ? encodeURIComponent(v) : QUERY_REDACTED}`);
  return { endpoint: u.origin, path: `${u.pathname}${parts.length ? `?${parts.join('&')}` : ''}` };
}
