# vaultproof: minimal read-only scanning policy (metadata only).
# Covers exactly the calls the HashiCorp Vault collector makes; it never grants a value: no KV v2
# data/ path, no read on a KV v1 path. Secrets engines are named mount by mount (the last part):
# a mount-level glob such as "+/metadata/*" or "+/config" also matches every KV v1 mount, where any
# path is a value ("legacy/metadata/x", "legacy/config"). A mount not named here is not read: its
# scope is recorded incomplete and its secrets are judged error, never passed.

# Who am I (scan identity) — part of the built-in "default" policy too.
path "auth/token/lookup-self" { capabilities = ["read"] }

# Mount table, auth methods, barrier key status, Enterprise replication and namespaces.
path "sys/mounts" { capabilities = ["read"] }
path "sys/auth" { capabilities = ["read"] }
path "sys/key-status" { capabilities = ["read"] }
path "sys/replication/status" { capabilities = ["read"] }
path "sys/namespaces" { capabilities = ["list"] }
# The edition: only Vault Enterprise serves its license status (open source answers 404).
path "sys/license/status" { capabilities = ["read"] }
# Listener TLS and the cluster address: the sanitized server configuration (no credentials in it).
path "sys/config/state/sanitized" { capabilities = ["read"] }

# Audit devices: sys/audit is root-protected, so Vault requires sudo even to read it (no other
# endpoint lists audit devices). Exactly "sys/audit", read only: enabling or disabling a device is
# sys/audit/<path>, which this grants nothing on. Without it the audit scope is incomplete.
path "sys/audit" { capabilities = ["read", "sudo"] }
# Which request headers the audit devices record (is the scan's correlation id audited?): also
# root-protected (read+sudo); adding a header is sys/config/auditing/request-headers/<name>, not granted.
path "sys/config/auditing/request-headers" { capabilities = ["read", "sudo"] }

# ACL policies (text, parsed by vaultproof).
path "sys/policies/acl" { capabilities = ["list"] }
path "sys/policies/acl/*" { capabilities = ["read"] }

# Identity entities and groups.
path "identity/entity/id" { capabilities = ["list"] }
path "identity/entity/id/*" { capabilities = ["read"] }
path "identity/group/id" { capabilities = ["list"] }
path "identity/group/id/*" { capabilities = ["read"] }

# Root token detection: listing accessors needs sudo; lookup-accessor returns no token id.
path "auth/token/accessors" { capabilities = ["list", "sudo"] }
path "auth/token/lookup-accessor" { capabilities = ["update"] }

# Auth roles (approle, kubernetes, azure, jwt/oidc), cert roles, userpass users and token roles:
# metadata only.
path "auth/+/role/" { capabilities = ["list"] }
path "auth/+/role/+" { capabilities = ["read"] }
path "auth/+/certs/" { capabilities = ["list"] }
path "auth/+/certs/+" { capabilities = ["read"] }
path "auth/+/users/" { capabilities = ["list"] }
path "auth/+/users/+" { capabilities = ["read"] }
path "auth/token/roles/" { capabilities = ["list"] }
path "auth/token/roles/+" { capabilities = ["read"] }

# Secrets engines, one block per mount (`vault secrets list`); replace these example mounts with yours.
# KV v2 "secret/": metadata and mount config only (never data/).
path "secret/metadata/*" { capabilities = ["read", "list"] }
path "secret/config" { capabilities = ["read"] }
# KV v2 "team/kv/" (a multi-segment mount is named the same way).
path "team/kv/metadata/*" { capabilities = ["read", "list"] }
path "team/kv/config" { capabilities = ["read"] }
# KV v1 "legacy/" (type kv version 1, or the old "generic"): a read on a KV v1 path returns the
# VALUE and KV v1 has no metadata endpoint, so LIST only.
path "legacy/*" { capabilities = ["list"] }
# PKI "pki/": issuers and issued certificates (public material), and roles (their TTLs; never
# issue/ or sign/).
path "pki/issuers/" { capabilities = ["list"] }
path "pki/issuer/+" { capabilities = ["read"] }
path "pki/certs/" { capabilities = ["list"] }
path "pki/cert/+" { capabilities = ["read"] }
path "pki/roles/" { capabilities = ["list"] }
path "pki/roles/+" { capabilities = ["read"] }
# Transit "transit/": key properties only (type, exportable, versions; public keys of asymmetric
# keys). Never export/, backup/, decrypt/ or datakey/: they return or use key material.
path "transit/keys/" { capabilities = ["list"] }
path "transit/keys/+" { capabilities = ["read"] }
