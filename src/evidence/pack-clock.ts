/**
 * The one time an evidence pack states (manifest `created`, the signed statement, the report's
 * "generated" line): the scan's own `now`, or SOURCE_DATE_EPOCH when set (reproducible-builds.org),
 * never the wall clock, so a pack rebuilt from the same scan is byte-identical.
 */
import { InputError } from '../util/input-error.js';

export function packCreatedTime(scanNow: string, env: Record<string, string | undefined>): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d{1,12}$/.test(epoch)) throw new InputError('SOURCE_DATE_EPOCH', '', `expected whole seconds since 1970-01-01T00:00:00Z, found ${JSON.stringify(epoch.slice(0, 40))}`);
    return new Date(Number(epoch) * 1000);
  }
  const at = Date.parse(scanNow);
  if (!Number.isFinite(at)) throw new InputError('findings', '$.scan.now', `expected an ISO 8601 time, found ${JSON.stringify(scanNow.slice(0, 40))}`);
  return new Date(at);
}
