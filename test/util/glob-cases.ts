/**
 * The table of what the one glob means (src/util/glob.ts), shared by its own test and by the test
 * that Rego's glob.match reads the compiled patterns the same way. [pattern, subject, matches].
 */
export type GlobCase = readonly [string, string, boolean];

/** Path fields (classification paths, break-glass paths, known subsystems, waivers, event sources). */
export const PATH_CASES: readonly GlobCase[] = [
  // `|` is a plain character (Azure grant ids hold it): picomatch once read `x/a|b` as `x/a` or `b`.
  ['x/a|b', 'x/a|b', true],
  ['x/a|b', 'b', false],
  ['x/a|b', 'x/a', false],
  ['v/kv|aad:sp|*|Key Vault Secrets Officer', 'v/kv|aad:sp|*|Key Vault Secrets Officer', true],
  ['v/kv|aad:sp|*|Key Vault Secrets Officer', 'v/kv|aad:sp|secret/x|Key Vault Secrets Officer', false],
  ['v/kv|aad:sp|*|Key Vault Secrets Officer', 'aad:sp', false],
  // `*` stays within a segment; `**` spans any number of segments, none included.
  ['*', 'a', true],
  ['*', 'a/b', false],
  ['*', '', false],
  ['**', '', true],
  ['a*', 'a', true],
  ['**', 'a/b/c', true],
  ['a/*', 'a/b', true],
  ['a/*', 'a/b/c', false],
  ['a/*', 'a', false],
  ['a/**', 'a', true],
  ['a/**', 'a/b/c', true],
  ['a/**', 'ab', false],
  ['**/x', 'x', true],
  ['**/x', 'a/b/x', true],
  ['**/x', 'a/xx', false],
  ['a/**/b', 'a/b', true],
  ['a/**/b', 'a/x/y/b', true],
  ['a/**/b', 'a/xb', false],
  ['**/**/x', 'x', true],
  ['x/**/y/**/z', 'x/y/z', true],
  ['x/**/y/**/z', 'x/1/y/2/3/z', true],
  ['**/*token*', 'token-a', true],
  ['**/*token*', 'a/b/my-token', true],
  ['**/*token*', 'a/token/b', false],
  ['**/break-glass/**', 'break-glass', true],
  ['**/break-glass/**', 'a/break-glass/b', true],
  ['**/EmergencyAccess*', 'EmergencyAccess', true],
  ['**/EmergencyAccess*', 'project/EmergencyAccess-db', true],
  ['EmergencyAccess*', 'EmergencyAccess/x', false],
  ['connectors/*', 'connectors/intune', true],
  ['connectors/*', 'connectors', false],
  // Dot files are ordinary names.
  ['*', '.hidden', true],
  ['**/*.json', 'logs/.x.json', true],
  ['*.json', 'logs/x.json', false],
  // `?` is one character other than `/`; classes; braces.
  ['a?c', 'abc', true],
  ['?', '/', false],
  ['[a-c]x', 'bx', true],
  ['[^a]x', 'bx', true],
  ['[^a]x', 'ax', false],
  ['{a,b}/c', 'b/c', true],
  ['{a,b/c}', 'b/c', true],
  ['{a,{b,c}}', 'c', true],
  ['{a,b}', 'ab', false],
  // Case-sensitive.
  ['Apps/*', 'apps/x', false],
  ['apps/*', 'apps/X', true],
  // Everything else is literal.
  ['\\*', '*', true],
  ['\\*', 'a', false],
  ['a.b', 'axb', false],
  ['a+b', 'a+b', true],
  ['a(b)', 'a(b)', true],
  ['@(a)', '@(a)', true],
  ['!a', '!a', true],
  ['!a', 'b', false],
  ['a|b', 'a|b', true],
  ['a$', 'a$', true],
  ['a,b', 'a,b', true],
  ['a^b', 'a^b', true],
  ['(a|b)', 'a', false],
  ['x(y)*', 'x(y)z', true],
  ['\\(a\\)', '(a)', true],
];

/** Name fields without `/` (admin policy names, credential types, principal names). */
export const NAME_CASES: readonly GlobCase[] = [
  ['platform-admin*', 'platform-admin', true],
  ['platform-admin*', 'platform-admin.ops', true],
  ['*', 'api-token', true],
  ['*', '', false],
  ['admin', 'admin', true],
  ['admin', 'admins', false],
  ['a?c', 'a.c', true],
  ['*-key', 'signing-key', true],
  ['{admin,root}', 'root', true],
  ['[a-c]*', 'b.x', true],
  ['[^a]*', 'admin', false],
];

/** Content types (`type/subtype`). */
export const CONTENT_TYPE_CASES: readonly GlobCase[] = [
  ['application/*', 'application/x-pkcs12', true],
  ['application/*', 'application/vnd.ms.pkcs12', true],
  ['application/*', 'text/plain', false],
  ['*/*', 'text/plain', true],
  ['*/*', 'password', false],
  ['application/x-pem-file', 'application/x-pem-file', true],
  ['application/x-pem-file', 'application/x-pkcs12', false],
  ['application/x-pkcs1?', 'application/x-pkcs12', true],
];
