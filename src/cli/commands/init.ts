/**
 * `vaultproof init --azure|--hashicorp [--dir DIR]`: a starter vaultproof.yaml that loads cleanly, and
 * what the scanner's identity needs: the read-only Vault scanning policy (the one the collector's
 * README documents and the tests' Vault servers enforce) or the Azure role assignment commands with
 * the least-privilege roles the Azure collector's README names. Nothing is overwritten: when any of
 * the files exists, none is written (exit 2).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../../util/input-error.js';
import { PACKAGE_ROOT } from '../../version.js';
import type { Console } from '../console.js';
import { DEFAULT_CONFIG_FILE } from '../config-discovery.js';
import { writeFileAtomic } from '../io.js';
import { PUBLISHED_SCHEMAS } from '../published-schemas.js';

/** The scanning policy shipped with the package (package.json `files` lists it). */
export const SCANNING_POLICY_SOURCE = join('src', 'collectors', 'hashicorp-vault', 'scanning-policy.hcl');
export const SCANNING_POLICY_FILE = 'vaultproof-scanning-policy.hcl';
export const AZURE_ROLES_FILE = 'vaultproof-azure-access.sh';
/** Microsoft Graph's application id (the same in every tenant). */
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

const schemaLine = `# yaml-language-server: $schema=./node_modules/vaultproof/schemas/${PUBLISHED_SCHEMAS.config.file}\n` +
  '#   (or write it beside this file with `vaultproof schema config --out vaultproof.schema.json` and point this line there)\n';

const common = `version: 1
# The standard's thresholds apply as they are (policies/data/defaults.json; \`vaultproof explain RULE\`
# names the setting that tunes a rule). Stricter values need nothing; a looser one needs an approved
# entry under deviations: (README, "Configuration").
# thresholds:
#   rotation_days: { api-token: 45 }
# waivers: waivers.yaml                  # exceptions with reason, two approvers and an expiry
# regions_in_scope: [westeurope]
collection:
  deadline_seconds: 1800
`;

export const AZURE_CONFIG = `${schemaLine}# vaultproof configuration for Azure Key Vaults (written by \`vaultproof init --azure\`).
# Run \`vaultproof scan\` here (this file is found in the working directory) once the identity the
# scan runs as has the access ${AZURE_ROLES_FILE} grants. All options: examples/azure.yaml.
${common}
azure:
  cloud: public                          # public | usgov | china
  subscriptions:
    - 00000000-0000-0000-0000-000000000000   # replace: the subscriptions holding your vaults
  # filters:
  #   resource_groups: [rg-secrets]
  #   names: ["kv-*"]
  credential:
    kind: default                        # default | managed-identity | workload-identity | certificate
`;

export const HASHICORP_CONFIG = `${schemaLine}# vaultproof configuration for HashiCorp Vault (written by \`vaultproof init --hashicorp\`).
# Run \`vaultproof scan\` here (this file is found in the working directory) once the scanner's
# AppRole has the policy in ${SCANNING_POLICY_FILE}. All options: examples/vault.yaml.
${common}
hashicorp:
  - name: vault                          # vault id: hashicorp-vault:vault
    address: https://vault.example.internal:8200   # replace (default: VAULT_ADDR)
    region: westeurope                   # replace: where the cluster runs
    auth:
      method: approle                    # token | approle | kubernetes | jwt | azure
      role_id_env: VAULTPROOF_ROLE_ID
      secret_id_env: VAULTPROOF_SECRET_ID
`;

export const AZURE_ACCESS_SCRIPT = `#!/bin/sh
# Least-privilege access for the identity vaultproof scans as (src/collectors/azure-keyvault/README.md,
# "Least-privilege access"): Reader (ARM: vault properties, diagnostic settings, role assignments,
# locks) and Key Vault Reader (data plane: metadata of secrets, keys and certificates, never a value),
# and Microsoft Graph Application.Read.All + GroupMember.Read.All (who holds the grants). Key Vault
# Secrets User, Secrets Officer, Administrator and access-policy secrets "get" are never needed.
# Written by \`vaultproof init --azure\`; review it, set the three variables, then run it with az logged in.
set -eu
: "\${SUBSCRIPTION_ID:?the subscription to scan}"
: "\${SCANNER_OBJECT_ID:?the object id of the scanner's service principal or managed identity}"
: "\${SCANNER_APP_ID:?the application (client) id of the scanner}"
SCOPE="/subscriptions/$SUBSCRIPTION_ID"   # or a resource group or a single vault

az role assignment create --assignee-object-id "$SCANNER_OBJECT_ID" --assignee-principal-type ServicePrincipal --role "Reader" --scope "$SCOPE"
az role assignment create --assignee-object-id "$SCANNER_OBJECT_ID" --assignee-principal-type ServicePrincipal --role "Key Vault Reader" --scope "$SCOPE"

# Vaults in the access-policy model instead of RBAC: list-only access policies, per vault.
# az keyvault set-policy --name VAULT --object-id "$SCANNER_OBJECT_ID" --secret-permissions list --key-permissions list get getrotationpolicy --certificate-permissions list get

# Microsoft Graph application permissions (an admin consents once).
graph_role() { az ad sp show --id ${GRAPH_APP_ID} --query "appRoles[?value=='$1'].id" -o tsv; }
az ad app permission add --id "$SCANNER_APP_ID" --api ${GRAPH_APP_ID} --api-permissions "$(graph_role Application.Read.All)=Role" "$(graph_role GroupMember.Read.All)=Role"
az ad app permission admin-consent --id "$SCANNER_APP_ID"
`;

export interface InitFlags {
  azure?: boolean;
  hashicorp?: boolean;
  dir?: string;
}

export function init(flags: InitFlags, cwd: string, io: Console): number {
  if (Boolean(flags.azure) === Boolean(flags.hashicorp)) throw new InputError('init', '', 'expected one of --azure or --hashicorp');
  const dir = resolve(cwd, flags.dir ?? '.');
  const files: Array<[string, string]> = flags.azure
    ? [[DEFAULT_CONFIG_FILE, AZURE_CONFIG], [AZURE_ROLES_FILE, AZURE_ACCESS_SCRIPT]]
    : [[DEFAULT_CONFIG_FILE, HASHICORP_CONFIG], [SCANNING_POLICY_FILE, readFileSync(join(PACKAGE_ROOT, SCANNING_POLICY_SOURCE), 'utf8')]];
  // All or nothing: an existing file is never replaced, and then nothing is written.
  for (const [name] of files) {
    const path = join(dir, name);
    if (existsSync(path)) throw new InputError(path, '', 'exists already: init never overwrites; move it away or edit it');
  }
  for (const [name, text] of files) writeFileAtomic(join(dir, name), text);
  io.out(`wrote ${files.map(([n]) => join(dir, n)).join(', ')}`);
  if (flags.azure) {
    io.out(`next: edit subscriptions in ${DEFAULT_CONFIG_FILE}, then grant the scanner its read-only access:`);
    io.out(`  SUBSCRIPTION_ID=... SCANNER_OBJECT_ID=... SCANNER_APP_ID=... sh ${AZURE_ROLES_FILE}`);
  } else {
    io.out(`next: edit address and region in ${DEFAULT_CONFIG_FILE}, name your mounts in ${SCANNING_POLICY_FILE}, then:`);
    io.out(`  vault policy write vaultproof-scanner ${SCANNING_POLICY_FILE}`);
    io.out('  vault write auth/approle/role/vaultproof token_policies=vaultproof-scanner token_ttl=15m token_max_ttl=30m secret_id_ttl=720h');
    io.out('  export VAULTPROOF_ROLE_ID=... VAULTPROOF_SECRET_ID=...   # vault read auth/approle/role/vaultproof/role-id; vault write -f auth/approle/role/vaultproof/secret-id');
  }
  io.out(`then: vaultproof scan   (run where ${DEFAULT_CONFIG_FILE} is, or vaultproof scan --config ${join(dir, DEFAULT_CONFIG_FILE)})`);
  return 0;
}
