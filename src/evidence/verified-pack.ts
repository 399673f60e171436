/**
 * An evidence pack's files, read only after the pack verifies (signature, every digest, no missing
 * or extra file): what a consumer of a past pack (the access review's `--previous`) may trust.
 */
import { InputError } from '../util/input-error.js';
import { readPack } from './pack-files.js';
import { verifyEvidencePack } from './verify.js';

/** The files of the pack at `location` (directory or .tar.gz); an InputError naming the failed checks when it does not verify. */
export async function readVerifiedPack(location: string, what = 'evidence pack'): Promise<Map<string, Buffer>> {
  const report = await verifyEvidencePack(location, {});
  if (report.exitCode !== 0) {
    const failed = report.checks.filter((c) => c.status === 'fail').map((c) => `${c.name}: ${c.detail}`);
    throw new InputError(location, '', `the ${what} does not verify, refusing to use it: ${failed.join('; ')}`);
  }
  return readPack(location);
}
