/**
 * Which Azure calls can return a value, from the Key Vault and ARM REST references, written apart from
 * the collector's request guard (defence in depth: a guard bug does not hide a value read here).
 *
 * Key Vault data plane (vault or Managed HSM), by path:
 *   GET  secrets/{name}[/{version}]          SecretBundle.value: the secret value             → value-read
 *   GET  deletedsecrets/{name}               DeletedSecretBundle: the REST model declares `value` (the
 *                                            documented sample omits it; secrets/get needed)  → value-read
 *   GET  certificates/issuers/{name}         IssuerBundle declares credentials.pwd             → value-read
 *   GET  storage/{account}/sas/{name}        SasDefinitionBundle.templateUri is a signed SAS    → value-read
 *   POST …/backup, keys/…/export, keys/…/release, keys/…/decrypt, keys/…/unwrapkey, securitydomain/…
 *                                            protected blob, private key or plaintext          → value-read
 *   GET  secrets, secrets/{n}/versions, deletedsecrets, keys…, deletedkeys…, certificates…,
 *        deletedcertificates…, rotationpolicy, policy, pending, contacts, settings, roleAssignments
 *                                            attributes, public JWK or public certificate      → metadata
 * ARM: GET/HEAD return resource properties (ARM never returns a Key Vault secret value: the
 *   vaults/secrets resource documents `value` as never returned)                                → metadata
 *   POST …/listKeys, listSecrets, listCredentials, listConnectionStrings                          → value-read
 * Microsoft Graph (Azure principals), by path under /v1.0:
 *   GET  directoryObjects/{id}, servicePrincipals/{id}, applications(appId='…')[/federatedIdentityCredentials],
 *        groups/{id}/transitiveMembers, users/{id}
 *                                            directory properties; key and password credentials
 *                                            carry dates and ids (`secretText` only ever comes back
 *                                            from addPassword, a POST)                          → metadata
 *   POST $batch                              the envelope: the ledger records each request inside
 *                                            it as its own call, classified on its own          → metadata
 * Anything else (writes, key operations, unknown paths) is `unclassified`.
 */
import type { Classification } from './types.js';

const ARM_ROOTS = new Set(['subscriptions', 'providers', 'tenants', 'resourcegroups']);
const VALUE_ACTIONS = new Set(['backup', 'export', 'release', 'decrypt', 'unwrapkey']);

const meta = (reason: string): Classification => ({ kind: 'metadata', reason });
const value = (reason: string): Classification => ({ kind: 'value-read', reason });
const unknown = (reason: string): Classification => ({ kind: 'unclassified', reason });

function segments(path: string): string[] | null {
  try {
    return (path.split('?')[0] ?? '').split('/').filter(Boolean).map((s) => decodeURIComponent(s).toLowerCase());
  } catch {
    return null;
  }
}

export function classifyAzureCall(method: string, path: string): Classification {
  const m = method.toUpperCase();
  const s = segments(path);
  if (s === null) return unknown('unparseable path');
  const [root, name, third, fourth] = s;
  if (root === undefined) return m === 'GET' || m === 'HEAD' ? meta('service root') : unknown(`${m} on the service root`);
  if (root === 'v1.0') return classifyGraphCall(m, s.slice(1));
  if (ARM_ROOTS.has(root)) {
    if (m === 'GET' || m === 'HEAD') return meta('ARM read: resource properties, no secret value');
    const last = s[s.length - 1] ?? '';
    if (m === 'POST' && /^list(keys|secrets|credentials?|connectionstrings?|accountsas|servicesas)$/.test(last)) return value(`ARM action ${last} returns credentials`);
    return unknown(`ARM ${m}: a write or an action, not a metadata read`);
  }
  if (m === 'POST' && (VALUE_ACTIONS.has(third ?? '') || VALUE_ACTIONS.has(fourth ?? '') || root === 'securitydomain')) {
    return value(`${root}/…/${VALUE_ACTIONS.has(fourth ?? '') ? fourth : third ?? root}: returns a protected blob, key material or plaintext`);
  }
  if (root === 'securitydomain') return value('the Managed HSM security domain');
  if (m === 'HEAD') return meta('HEAD returns no body');
  if (m !== 'GET') return unknown(`${m} ${root}: a write or a key operation, not a metadata read`);
  switch (root) {
    case 'secrets':
      if (s.length === 1) return meta('secret list: SecretItem attributes, no value');
      if (s.length === 3 && third === 'versions') return meta('secret versions list: attributes, no value');
      if (s.length <= 3) return value('GET secrets/{name}[/{version}] returns the secret value (SecretBundle.value)');
      return unknown('unknown secrets endpoint');
    case 'deletedsecrets':
      if (s.length === 1) return meta('deleted secret list: DeletedSecretItem attributes, no value');
      return value('GET deletedsecrets/{name}: the DeletedSecretBundle model declares the value');
    case 'keys':
    case 'deletedkeys':
      if (s.length <= 3 || (s.length === 4 && fourth === 'rotationpolicy') || third === 'rotationpolicy') return meta('key attributes and public JWK, no private key');
      return unknown('unknown keys endpoint');
    case 'certificates':
      if (name === 'issuers') return s.length === 2 ? meta('issuer list') : value('GET certificates/issuers/{name}: IssuerBundle declares credentials.pwd');
      if (name === 'contacts' || s.length <= 3 || ['policy', 'pending'].includes(third ?? '') || ['policy', 'pending'].includes(fourth ?? '')) {
        return meta('certificate attributes, policy or public certificate (the private key is only in the backing secret)');
      }
      return unknown('unknown certificates endpoint');
    case 'deletedcertificates':
      return meta('deleted certificate: attributes and public certificate');
    case 'storage':
    case 'deletedstorage':
      if (third === 'sas' && s.length >= 4) return value('SAS definition: templateUri is a signed SAS token');
      return meta('managed storage account attributes');
    case 'settings':
    case 'ping':
      return meta(`${root}: service settings`);
    default:
      return unknown(`GET ${root}: not a known Key Vault metadata endpoint`);
  }
}

const GRAPH_READS: RegExp[] = [
  /^directoryobjects\/[^/]+$/,
  /^serviceprincipals\/[^/]+$/,
  /^applications\(appid='[^']+'\)(\/federatedidentitycredentials)?$/,
  /^groups\/[^/]+\/transitivemembers$/,
  /^users\/[^/]+$/,
];

/** Microsoft Graph v1.0 (segments after the version, lower-cased). */
function classifyGraphCall(m: string, s: string[]): Classification {
  const path = s.join('/');
  if (m === 'POST' && path === '$batch') return meta('Graph JSON batch envelope: each request in it is recorded and classified as its own call');
  if (m !== 'GET') return unknown(`Graph ${m} ${path}: a write, not a directory read`);
  if (GRAPH_READS.some((re) => re.test(path))) return meta('Graph directory read: properties, credential ids and dates, never a secret');
  return unknown(`GET ${path}: not a known Graph directory read`);
}
