/**
 * The documented scanner set-up, read out of the collector's README so the tests hold the doc itself:
 * the ```hcl block of "Minimal read-only scanning policy" and the `vault write auth/approle/role/...`
 * line that creates the scanner's AppRole role.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../../src/version.js';

export const COLLECTOR_README = join(PACKAGE_ROOT, 'src', 'collectors', 'hashicorp-vault', 'README.md');

export interface DocumentedScanner {
  /** The policy text, verbatim. */
  policy: string;
  /** The policy name the README writes it under. */
  policyName: string;
  /** The AppRole role path (`auth/approle/role/<name>`) and its parameters, as `vault write` gets them. */
  rolePath: string;
  roleParams: Record<string, string>;
}

export function documentedScanner(readme = readFileSync(COLLECTOR_README, 'utf8')): DocumentedScanner {
  const section = readme.slice(readme.indexOf('## Minimal read-only scanning policy'));
  const policy = /```hcl\n([\s\S]*?)```/.exec(section)?.[1];
  if (!policy) throw new Error(`${COLLECTOR_README}: no \`\`\`hcl block under "Minimal read-only scanning policy"`);
  const policyName = /^vault policy write (\S+) scanning-policy\.hcl$/m.exec(section)?.[1];
  const role = /^vault write (auth\/approle\/role\/\S+) (.+)$/m.exec(section);
  if (!policyName || !role) throw new Error(`${COLLECTOR_README}: the "vault policy write" / "vault write auth/approle/role/..." lines are missing`);
  const roleParams = Object.fromEntries(
    (role[2] as string).trim().split(/\s+/).map((kv) => {
      const at = kv.indexOf('=');
      if (at < 1) throw new Error(`${COLLECTOR_README}: expected key=value in the AppRole line, got "${kv}"`);
      return [kv.slice(0, at), kv.slice(at + 1)];
    }),
  );
  return { policy, policyName, rolePath: role[1] as string, roleParams };
}
